"""Ops tools from the engineering notes. Independent of the Go analysis; they share only the CLI."""
