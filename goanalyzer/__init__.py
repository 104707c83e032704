"""goanalyzer: read Go codebases for people."""
