"""ProBox pure domain core: decisions and schemas, standard library only, no I/O, no clock."""
