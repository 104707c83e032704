"""`goanalyzer ops netrc`: a .netrc as the go command reads it (cmd/go/internal/auth), what it
silently skips, and the file's permissions; passwords never printed.

Modules: reader (parse and check), render (text), cli.
"""
