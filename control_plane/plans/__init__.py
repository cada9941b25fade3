"""Plans (provider): the limits and features a tenant buys (PRODUCT.md "Plans"), as data.

``routes`` (HTTP), ``service`` (seeding, CRUD), ``schemas`` (request/response models),
``store`` (``PlanItem``). A plan edit is copied onto its tenants by
``tenants.service.apply_plan`` (a tenant depends on its plan, not the other way round).
"""
