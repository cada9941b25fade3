"""Call-center queues (issue 16): a queue's number, strategy, members and settings."""
