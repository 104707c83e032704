"""`goanalyzer ops tcp`: which TCP connection holds a port (netstat, ss, /proc or live), and
how to close it (ss -K, tcpkill), from the note "a port held by kubelet's connection"."""
