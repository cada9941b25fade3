"""pbx_core.routing decisions, without SIP."""

from __future__ import annotations

from typing import Any

import pytest

from pbx_core import routing, sipauth
from pbx_core.routing import Challenge, Reject, ToContact, ToWorker
from pbx_core.snapshot import ExtensionConfig, TenantConfig, build

pytestmark = pytest.mark.unit

A, B = "tenant-a.test", "tenant-b.test"


def _tenant(tid: str, domain: str, numbers: list[str], **kw: Any) -> TenantConfig:
    exts = {n: ExtensionConfig(n, sipauth.ha1(n, domain, "pw"), f"Ext {n}") for n in numbers}
    return TenantConfig(id=tid, domain=domain, extensions=exts, **kw)


TA = _tenant("ta", A, ["100", "101"], max_concurrent_calls=2, record_calls=False)
TB = _tenant("tb", B, ["100", "200"])
TS = _tenant("ts", "suspended.test", ["300"], status="suspended")
SNAP = build(1, [TA, TB, TS])


def test_register_unknown_domain() -> None:
    assert routing.register(SNAP, "nowhere.test", "100") == Reject(403, "Unknown domain", "unknown_domain")


def test_register_suspended_tenant() -> None:
    d = routing.register(SNAP, "suspended.test", "300")
    assert isinstance(d, Reject) and d.slug == "tenant_suspended"


def test_register_unknown_user_same_answer_code_as_bad_password() -> None:
    d = routing.register(SNAP, A, "999")
    assert isinstance(d, Reject) and (d.code, d.slug) == (403, "unknown_user")
    assert routing.BAD_CREDENTIALS.code == 403


def test_register_known_user_is_challenged_in_the_tenant_realm() -> None:
    d = routing.register(SNAP, "TENANT-A.test", "100")
    assert isinstance(d, Challenge)
    assert d.realm == A and d.tenant.id == "ta" and d.extension.ha1 == TA.extensions["100"].ha1
    assert d.aor == "100@tenant-a.test"


def test_same_extension_number_in_two_tenants_is_two_users() -> None:
    a, b = routing.register(SNAP, A, "100"), routing.register(SNAP, B, "100")
    assert isinstance(a, Challenge) and isinstance(b, Challenge)
    assert a.extension.ha1 != b.extension.ha1 and a.aor != b.aor


def test_caller_is_the_from_user_of_its_domain() -> None:
    assert isinstance(routing.caller(SNAP, A, "101"), Challenge)
    assert isinstance(routing.caller(SNAP, A, "200"), Reject)


def test_invite_cross_tenant_is_forbidden_whatever_is_dialled() -> None:
    d = routing.invite_from_phone(SNAP, TA, "100", "200", B, 0)
    assert d == Reject(403, "Forbidden", "cross_tenant")
    # the same number exists in both tenants: still forbidden
    assert routing.invite_from_phone(SNAP, TA, "100", "100", B, 0) == d


def test_invite_unknown_number_and_self_call() -> None:
    assert isinstance(d := routing.invite_from_phone(SNAP, TA, "100", "555", A, 0), Reject) and d.code == 404
    assert isinstance(d := routing.invite_from_phone(SNAP, TA, "100", "100", A, 0), Reject) and d.code == 486


def test_invite_call_limit() -> None:
    assert isinstance(routing.invite_from_phone(SNAP, TA, "100", "101", A, 1), ToWorker)
    d = routing.invite_from_phone(SNAP, TA, "100", "101", A, 2)
    assert d == Reject(503, "Concurrent call limit reached", "call_limit")


def test_invite_to_worker_headers() -> None:
    d = routing.invite_from_phone(SNAP, TA, "100", "101", A, 0)
    assert d == ToWorker(
        "ta",
        {
            routing.HDR_TENANT: "ta",
            routing.HDR_CALLER: "100",
            routing.HDR_CALLEE: "101",
            routing.HDR_KIND: "internal",
            routing.HDR_RECORD: "0",
        },
    )
    assert set(d.headers) <= set(routing.TRUSTED_HEADERS)


def test_invite_dialled_by_ip_stays_in_the_callers_tenant() -> None:
    d = routing.invite_from_phone(SNAP, TA, "100", "101", "127.0.0.1", 0)
    assert isinstance(d, ToWorker) and d.tenant_id == "ta"


def test_worker_leg_to_contact_with_caller_identity() -> None:
    d = routing.invite_from_worker(SNAP, "ta", "101", A, "100")
    assert d == ToContact("ta", "101@tenant-a.test", "sip:100@tenant-a.test", "Ext 100")


def test_worker_leg_external_caller_has_no_display_and_bad_caller_is_ignored() -> None:
    d = routing.invite_from_worker(SNAP, "ta", "101", A, "+84901234567")
    assert isinstance(d, ToContact) and (d.from_uri, d.from_display) == ("sip:+84901234567@tenant-a.test", "")
    for bad in ("", "a b", "x@evil", "1\r\nX: y", "<sip:x>"):
        d = routing.invite_from_worker(SNAP, "ta", "101", A, bad)
        assert isinstance(d, ToContact) and d.from_uri == "" and d.from_display == ""


def test_worker_leg_stays_inside_its_tenant() -> None:
    assert routing.invite_from_worker(SNAP, "ta", "200", B) == Reject(403, "Forbidden", "cross_tenant")
    assert routing.invite_from_worker(SNAP, "nope", "101", A) == Reject(403, "Forbidden", "cross_tenant")
    assert routing.invite_from_worker(SNAP, "", "101", A) == Reject(403, "Forbidden", "cross_tenant")
    assert isinstance(d := routing.invite_from_worker(SNAP, "ta", "555", A), Reject) and d.code == 404


def test_in_dialog_requests_of_phones_only_go_to_workers() -> None:
    assert routing.in_dialog(from_worker=True, next_hop_is_worker=False) is None
    assert routing.in_dialog(from_worker=False, next_hop_is_worker=True) is None
    assert routing.in_dialog(from_worker=False, next_hop_is_worker=False) == routing.NOT_A_WORKER_DIALOG
    # looping back to the edge is checked again on the next pass
    assert routing.in_dialog(from_worker=False, next_hop_is_worker=False, next_hop_is_edge=True) is None


def test_fixed_rejections_have_stable_slugs() -> None:
    assert (routing.NO_CONFIG.code, routing.NO_CONFIG.slug) == (503, "no_config")
    assert (routing.NO_WORKER.code, routing.NO_WORKER.slug) == (503, "no_worker")
    assert (routing.NOT_REGISTERED.code, routing.NOT_REGISTERED.slug) == (480, "not_registered")
    assert routing.METHOD_NOT_ALLOWED.code == 405
