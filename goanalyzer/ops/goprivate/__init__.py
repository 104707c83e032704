"""Go private modules in CI builds: which proxy the go command asks for each module
(GOPRIVATE/GONOPROXY/GONOSUMDB/GOPROXY), credential leaks in Dockerfiles that fetch them,
and .netrc files as the go command reads them.

Modules: patterns (Go's glob matching), goenv (settings and their defaults), proxy (the
fetch route per module), gomod (go.mod requirements), dockerfile (parser), leaks (credential
tracing and GOPRIVATE consistency), sarif, netrc, render (text output), cli.
"""
