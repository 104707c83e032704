"""`goanalyzer ops goproxy`: which proxy the go command asks for each module (GOPRIVATE, GONOPROXY,
GONOSUMDB, GOPROXY, GOSUMDB), for module paths or every requirement of a go.mod.

Modules: patterns (Go's glob matching), goenv (settings and their defaults), proxy (the fetch route
per module, or per host the build authenticates to), gomod (go.mod requirements), render (text), cli.
`goanalyzer.ops.dockerfile` uses goenv and proxy to check the hosts a Dockerfile authenticates to.
"""
