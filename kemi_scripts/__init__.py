"""ProBox Kamailio KEMI scripts (loaded by app_python3, not imported by other packages)."""
