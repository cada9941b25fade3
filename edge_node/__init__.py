"""ProBox edge node: edge agent (config sync, spool upload) and pjsua2 media workers."""
