"""Test harness: managed processes, Kamailio and SIPp helpers for integration tests."""
