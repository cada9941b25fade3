"""ProBox control plane library: one module per domain, a store layer over PynamoDB."""
