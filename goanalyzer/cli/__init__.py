"""The command line: thin click shells over the library facade and the ops tools."""
