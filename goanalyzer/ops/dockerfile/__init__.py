"""`goanalyzer ops dockerfile`: credentials that leak through a Dockerfile (ARG, ENV, files left in
layers, URLs, HTTP auth, the build log), traced from where they enter to where they end up, with the
BuildKit secret-mount rewrite and a GOPRIVATE check for the hosts the build authenticates to.

Modules: parser (the Dockerfile syntax), shell (what a RUN command writes, removes and prints),
secrets (what counts as a credential; masking), model (the report), scopes (ARG/ENV in scope per
instruction), trace (finding and tracing credentials), exposure (where each ends up), gocheck
(GOPRIVATE/GOPROXY per private host, from goanalyzer.ops.goproxy), rewrite (the secret-mount
rewrite), lint (the entry point `analyse`), sarif, render (text), cli.
"""
