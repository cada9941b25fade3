"""SRTP keys only over TLS (issue 13 item 8), against the fake KSR: a worker's offer carries
opportunistic SRTP (RTP/AVP + SDES ``a=crypto``); the edge passes the keys on only to a
peer it reaches over TLS (a phone registered over TLS, a TLS trunk) and removes them towards
any other, in the first offer and in the worker's re-offers. A phone's own RTP/SAVP offer
is left alone."""

from __future__ import annotations

import types
from typing import Any

import pytest

from pbx_core import sipauth
from pbx_core.snapshot import ExtensionConfig, NumberConfig, Snapshot, TenantConfig, TrunkConfig, build
from tests.unit.fake_ksr import FakeKSR, FixedCache, Message, use

pytestmark = pytest.mark.unit

A = "tenant-a.test"
DID = "02873001234"
KEY = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
OSRTP = f"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n{KEY}\r\n"
SAVP = OSRTP.replace("RTP/AVP", "RTP/SAVP")


def _snap(transport: str) -> Snapshot:
    trunk = TrunkConfig("vt", "Viettel", "203.0.113.10", 5061, ips=("203.0.113.10",), transport=transport)
    tenant = TenantConfig(
        id="ta",
        domain=A,
        extensions={n: ExtensionConfig(n, sipauth.ha1(n, A, f"pw-{n}"), f"Ext {n}") for n in ("100", "101")},
        default_caller_id=DID,
        trunks={"vt": trunk},
        numbers={DID: NumberConfig(DID, "fixed", "vt", "101")},
    )
    return build(9, [tenant])


def run(kemi: types.ModuleType, msg: Message, snap: Snapshot, **results: Any) -> FakeKSR:
    k = use(kemi, FakeKSR(msg, **results))
    assert kemi.ProBoxRouter(FixedCache(snap)).ksr_request_route(None) == 1
    return k


def worker_invite(callee: str, body: str = OSRTP) -> Message:
    return Message(
        method="INVITE",
        from_user="worker",
        from_domain="127.0.0.1",
        ruri_user=callee,
        ruri_domain=A,
        src_port=5070,
        headers=[("X-PBX-Tenant", "ta"), ("X-PBX-Caller", "100"), ("X-PBX-Kind", "leg")],
        body=body,
        content_type="application/sdp",
    )


@pytest.mark.parametrize(
    ("socket", "keys_kept"),
    [("tls:203.0.113.5:5061", True), ("udp:203.0.113.5:5060", False), ("tcp:203.0.113.5:5060", False), (None, False)],
)
def test_a_worker_leg_to_a_phone_keeps_its_keys_only_over_tls(
    kemi: types.ModuleType, socket: str | None, keys_kept: bool
) -> None:
    # lookup() forces the socket the phone registered on ($fs)
    k = run(kemi, worker_invite("101"), _snap("udp"), from_worker=True, fs=socket)
    assert len(k.relayed) == 1 and k.replies == []
    assert k.sdp_removed == ([] if keys_kept else ["a=crypto:"])


@pytest.mark.parametrize(("transport", "keys_kept"), [("tls", True), ("udp", False), ("tcp", False)])
def test_a_worker_leg_to_a_trunk_keeps_its_keys_only_on_a_tls_trunk(
    kemi: types.ModuleType, transport: str, keys_kept: bool
) -> None:
    k = run(kemi, worker_invite("0912345678"), _snap(transport), from_worker=True)
    assert len(k.relayed) == 1 and k.replies == []
    assert k.dst_uri == f"sip:203.0.113.10:5061;transport={transport}"
    assert k.sdp_removed == ([] if keys_kept else ["a=crypto:"])


def reoffer(body: str, method: str = "INVITE") -> Message:
    return Message(
        method=method,
        to_tag="t1",
        src_port=5070,
        ruri_domain="203.0.113.7:40000",
        body=body,
        content_type="application/sdp",
    )


@pytest.mark.parametrize("method", ["INVITE", "UPDATE"])
def test_a_workers_reoffer_loses_its_keys_unless_over_tls(kemi: types.ModuleType, method: str) -> None:
    k = run(kemi, reoffer(OSRTP, method), _snap("udp"), loose_route=1, from_worker=True, fs="udp:203.0.113.5:5060")
    assert len(k.relayed) == 1 and k.sdp_removed == ["a=crypto:"]
    k = run(kemi, reoffer(OSRTP, method), _snap("udp"), loose_route=1, from_worker=True, fs="tls:203.0.113.5:5061")
    assert len(k.relayed) == 1 and k.sdp_removed == []


def test_an_srtp_session_chosen_by_the_phone_keeps_its_keys(kemi: types.ModuleType) -> None:
    # a phone that offered RTP/SAVP over UDP itself: removing the keys would break its call
    k = run(kemi, reoffer(SAVP), _snap("udp"), loose_route=1, from_worker=True, fs="udp:203.0.113.5:5060")
    assert len(k.relayed) == 1 and k.sdp_removed == []


def test_requests_without_sdp_and_phones_requests_are_left_alone(kemi: types.ModuleType) -> None:
    k = run(kemi, reoffer(""), _snap("udp"), loose_route=1, from_worker=True, fs="udp:203.0.113.5:5060")
    assert len(k.relayed) == 1 and k.sdp_removed == []
    bye = Message(method="BYE", to_tag="t1", src_port=5070, ruri_domain="203.0.113.7:40000", body=OSRTP)
    k = run(kemi, bye, _snap("udp"), loose_route=1, from_worker=True)
    assert k.sdp_removed == []
    # a phone's own offer towards its worker: never touched (the worker answers SRTP or not)
    phone = Message(method="INVITE", to_tag="t1", src_port=40000, ruri_domain="127.0.0.1:5070", body=SAVP)
    k = run(kemi, phone, _snap("udp"), loose_route=1, next_hop_is_worker=True)
    assert len(k.relayed) == 1 and k.sdp_removed == []
