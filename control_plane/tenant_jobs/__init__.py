"""Tenant export, import and offboarding (S6: a tenant moves off the cloud to its own server,
and back, with its configuration, history and recordings), as long-running jobs.

| module | what |
|---|---|
| ``routes`` | start a job, list and read jobs, upload URL for an archive made elsewhere |
| ``service`` | the jobs: start (checks first), dispatch (in the request, or the jobs Lambda), run, progress |
| ``exporter`` | the export job: config, CDRs and recordings streamed into one zip in S3 |
| ``importer`` | the import job: a new tenant from an archive, through the domains' stores, rolled back on failure |
| ``offboarding`` | the delete job (``purge``): everything of a tenant but its jobs and archives |
| ``archive`` | the archive format: members, manifest, the archived config (models, field lists, checks) |
| ``s3io`` | streaming to and from S3 (multipart writer, ranged reader, hashing reader) |
| ``store`` | job records (``JOBS#<tenant_id>``, kept 30 days, also after the tenant is deleted) |
| ``schemas`` | request and response models |
"""
