"""`goanalyzer ops tcp`: which TCP connection holds a port (netstat, ss, /proc or live), and
how to close it (ss -K, tcpkill), from the note "a port held by kubelet's connection"; and the
root cause as a check (ephemeral: a service port inside ip_local_port_range, not reserved)."""
