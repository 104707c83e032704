"""The version of the facts format, apart from the extractor so the cache can name its file
without importing tree-sitter (a warm run never parses)."""

EXTRACTOR_VERSION = "10"
"""Bump when the facts change shape: cached facts of another version are ignored."""
