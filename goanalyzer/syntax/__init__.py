"""Parsing: a Go file to plain facts (extract.py, with the IR in ir.py), the facts cache (cache.py)
and the bodies-blanked parse of dependencies (skeleton.py)."""
