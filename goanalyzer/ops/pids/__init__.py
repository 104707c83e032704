"""PID exhaustion on Kubernetes nodes: how many tasks exist, against which limits.

Every process and thread is a task with a PID and a kernel stack; a node runs out of PIDs when
tasks reach min(kernel.pid_max, kernel.threads-max) or a cgroup's pids.max. procfs reads the
sources, estimate turns each into a task count and cross-checks them, cgroups reads pids.*,
workloads sums tasks per pod and cgroup from /proc/PID/cgroup, kubelet reads podPidsLimit, render prints text, JSON or Prometheus text for node_exporter's textfile collector.
"""
