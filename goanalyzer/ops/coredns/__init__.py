"""CoreDNS Corefile toolkit (`goanalyzer ops coredns ...`): a lossless parser following CoreDNS's
grammar, canonical formatting, lint, query routing in plugin.cfg order, and the multi-cluster
change for two Kubernetes clusters that share cluster.local."""
