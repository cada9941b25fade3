"""Call-center agents (issue 16): users with an extension, and the status they set."""
