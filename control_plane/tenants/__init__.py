"""Tenants: created and managed by the provider; a tenant admin reads and tunes its own.

``store`` (``TenantItem``, the SIP domain's claim, the registry row), ``service`` (CRUD,
what a tenant admin may change, applying a plan's limits), ``schemas``, ``routes``
(including the provider's tenant-admin tokens). Export, import and offboarding of a whole
tenant are jobs: ``tenant_jobs``.
"""
