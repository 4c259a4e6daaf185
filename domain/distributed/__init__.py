"""Many workers, one study: leases (liveness by heartbeat), sweep convergence, outcomes."""
