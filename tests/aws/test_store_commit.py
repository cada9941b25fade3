"""core.store.commit: a cancelled transaction raises the error of the op that failed, whatever
the mix of condition checks, deletes, puts and updates (PynamoDB sends them grouped by kind,
not in the order the ops were given)."""

from __future__ import annotations

import pytest

from control_plane.core import store
from pbx_core.errors import Conflict, NotFound, PbxError

pytestmark = pytest.mark.aws


class CheckFailed(Conflict):
    def __init__(self) -> None:
        super().__init__("check failed")


class PutFailed(Conflict):
    def __init__(self) -> None:
        super().__init__("put failed")


class Missing(NotFound):
    def __init__(self) -> None:
        super().__init__("missing")


def _claim(n: str, tenant: str = "t_0000000000000001") -> store.ClaimItem:
    return store.ClaimItem(f"TEST#{n}", "TEST", tenant_id=tenant, owner=n)


def _raised(ops: list[store.Op]) -> type[PbxError] | None:
    try:
        store.commit(ops, bump=False)
    except PbxError as exc:
        return type(exc)
    return None


def test_the_failing_op_raises_its_own_error(aws: None) -> None:
    store.put_raw([_claim("a"), _claim("z")])
    other_tenant = store.ClaimItem.tenant_id == "t_0000000000000002"
    check = store.check(store.ClaimItem, "TEST#a", "TEST", other_tenant, CheckFailed)
    # a put that would succeed, then a check that fails: the check's error, not the put's
    assert _raised([store.put_new(_claim("b"), PutFailed), check]) is CheckFailed
    assert store.get_item(store.ClaimItem, "TEST#b", "TEST") is None  # nothing written
    # a put that fails, given before a check that passes
    ok = store.check(store.ClaimItem, "TEST#z", "TEST", store.ClaimItem.tenant_id == "t_0000000000000001", Missing)
    assert _raised([store.put_new(_claim("a"), PutFailed), ok]) is PutFailed
    assert _raised([store.put_new(_claim("c"), PutFailed), ok]) is None
