"""The queue event log (issue 16): what happened in a tenant's queues and to its agents."""
