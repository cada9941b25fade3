"""Malformed or unexpected SIP gets a proper SIP error from the edge (or the worker),
never a hung call or a leaked concurrent-call count."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.procs import LOCALHOST, free_port, send_udp
from pbx_core.snapshot import NumberConfig, TrunkConfig
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.harness.sipp import header, register_phone, run_sipp, start_sipp

pytestmark = pytest.mark.integration

A = "acme.test"
PW = {"100": "acme-secret-100", "101": "acme-secret-101"}
DID = "02873001234"
GOOD_SDP = [
    "v=0",
    "o=user1 1 1 IN IP4 127.0.0.1",
    "s=-",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    "m=audio 40000 RTP/AVP 0",
    "a=rtpmap:0 PCMU/8000",
]


@pytest.fixture(scope="module")
def carrier_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, carrier_port: int) -> Iterator[EdgeNode]:
    acme = tenant(
        "acme",
        A,
        PW,
        trunks={"vt": TrunkConfig("vt", "Viettel", LOCALHOST, free_port(), ips=(f"{LOCALHOST}:{carrier_port}",))},
        numbers={DID: NumberConfig(DID, "fixed", "vt", "101")},
    )
    with edge_node(tmp_path_factory.mktemp("malformed"), snapshot(1, [acme])) as n:
        yield n


def raw_invite(
    node: EdgeNode, *, drop: str = "", replace: tuple[str, str] | None = None, body: str = "", method: str = "INVITE"
) -> str:
    """Send one request (an INVITE unless ``method``) with a header dropped or some text
    replaced; the first answer ("" if none within 2 s)."""
    tag = uuid.uuid4().hex[:10]
    lines = [
        f"{method} sip:101@{A} SIP/2.0",
        f"Via: SIP/2.0/UDP {LOCALHOST}:{{lport}};branch=z9hG4bK{tag};rport",
        "Max-Forwards: 70",
        f"From: <sip:100@{A}>;tag={tag}",
        f"To: <sip:101@{A}>",
        f"Call-ID: raw-{tag}@test",
        f"CSeq: 1 {method}",
        f"Contact: <sip:100@{LOCALHOST}:{{lport}}>",
        f"Content-Length: {len(body)}",
    ]
    lines = [ln for ln in lines if not (drop and ln.startswith(drop + ":"))]
    text = "\r\n".join(lines) + "\r\n\r\n" + body
    if replace:
        text = text.replace(*replace)
    answer = send_udp(LOCALHOST, node.port, text, timeout=2.0)
    return answer.decode(errors="replace") if answer else ""


@pytest.mark.parametrize(
    ("what", "kw"),
    [
        ("CSeq method differs", {"replace": ("CSeq: 1 INVITE", "CSeq: 1 BYE")}),
        ("CSeq not a number", {"replace": ("CSeq: 1 INVITE", "CSeq: one INVITE")}),
        ("bad Request-URI", {"replace": (f"INVITE sip:101@{A} SIP/2.0", "INVITE sip:@@@ SIP/2.0")}),
        ("bad From URI", {"replace": (f"From: <sip:100@{A}>", "From: <sip:100@>")}),
    ],
)
def test_malformed_request_gets_400(node: EdgeNode, what: str, kw: dict[str, object]) -> None:
    answer = raw_invite(node, **kw)  # type: ignore[arg-type]
    assert answer.startswith("SIP/2.0 400"), f"{what}: {answer!r}"
    assert node.calls("acme") == 0


@pytest.mark.parametrize("missing", ["To", "CSeq", "Call-ID", "From"])
def test_request_without_the_headers_a_reply_needs_is_dropped(node: EdgeNode, missing: str) -> None:
    """Kamailio's parser drops what cannot be answered (no reply can be built without
    these headers); nothing is created for it."""
    assert raw_invite(node, drop=missing) == ""
    assert node.calls("acme") == 0


def test_max_forwards_zero_gets_483(node: EdgeNode) -> None:
    answer = raw_invite(node, replace=("Max-Forwards: 70", "Max-Forwards: 0"))
    assert answer.startswith("SIP/2.0 483"), answer


def test_unknown_method_gets_405_and_stray_requests_get_an_answer(node: EdgeNode) -> None:
    answer = raw_invite(node, method="PUBLISH")
    assert answer.startswith("SIP/2.0 405"), answer
    bye = send_udp(
        LOCALHOST,
        node.port,
        f"BYE sip:101@{LOCALHOST} SIP/2.0\r\nVia: SIP/2.0/UDP {LOCALHOST}:{{lport}};branch=z9hG4bKstray1;rport\r\n"
        f"Max-Forwards: 70\r\nFrom: <sip:100@{A}>;tag=a\r\nTo: <sip:101@{A}>;tag=b\r\nCall-ID: stray-1@test\r\n"
        "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
    )
    assert bye is not None and bye.startswith(b"SIP/2.0 404"), bye


def invite_with_body(node: EdgeNode, tmp: Path, ctype: str, body: list[str], final: int):  # type: ignore[no-untyped-def]
    return run_sipp(
        "phone_invite_body.xml",
        node.target,
        tmp,
        rows=[["100", A, PW["100"], "101", A]],
        params={"CTYPE": ctype, "BODY": "\n      ".join(body), "FINAL": final},
    )


@pytest.mark.parametrize(
    ("ctype", "body"),
    [
        ("application/sdp", ["this is not a session description"]),
        ("application/sdp", [*GOOD_SDP[:5], "m=video 40000 RTP/AVP 96", "a=rtpmap:96 H264/90000"]),
        ("text/plain", ["hello"]),
    ],
    ids=["garbage-sdp", "no-audio", "not-sdp"],
)
def test_bad_sdp_gets_488_before_a_worker_is_involved(
    node: EdgeNode, tmp_path: Path, ctype: str, body: list[str]
) -> None:
    r = invite_with_body(node, tmp_path, ctype, body, 488)
    assert r.ok, node.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["bad_sdp"]
    assert node.calls("acme") == 0


def test_sdp_without_a_common_codec_is_refused_by_the_worker_without_leaking(node: EdgeNode, tmp_path: Path) -> None:
    port = free_port()
    assert register_phone(node.target, tmp_path, "101", A, PW["101"], port).ok
    phone = start_sipp("uas.xml", node.target, tmp_path, local_port=port)
    try:
        sdp = [*GOOD_SDP[:5], "m=audio 40000 RTP/AVP 98", "a=rtpmap:98 NOSUCHCODEC/8000"]
        r = invite_with_body(node, tmp_path, "application/sdp", sdp, 488)
        assert r.ok, node.why(r)
        assert node.wait_calls("acme", 0) == 0
        phone.stop()
        assert phone.result(wait=5).received_requests("INVITE") == []  # no phone rang
    finally:
        phone.stop()
        register_phone(node.target, tmp_path, "101", A, PW["101"], port, expires=0)


def test_carrier_invite_with_bad_sdp_gets_488(node: EdgeNode, tmp_path: Path, carrier_port: int) -> None:
    tag = uuid.uuid4().hex[:10]
    body = "garbage\r\n"
    msg = (
        f"INVITE sip:{DID}@{LOCALHOST}:{node.port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {LOCALHOST}:{carrier_port};branch=z9hG4bK{tag}\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:0912345678@{LOCALHOST}>;tag={tag}\r\n"
        f"To: <sip:{DID}@{LOCALHOST}>\r\n"
        f"Call-ID: carrier-{tag}@test\r\n"
        "CSeq: 1 INVITE\r\n"
        f"Contact: <sip:0912345678@{LOCALHOST}:{carrier_port}>\r\n"
        "Content-Type: application/sdp\r\n"
        f"Content-Length: {len(body)}\r\n\r\n{body}"
    )
    answer = send_udp(LOCALHOST, node.port, msg, timeout=2.0, local_port=carrier_port)
    assert answer is not None and answer.startswith(b"SIP/2.0 488"), answer
    assert b"X-PBX-Reason: bad_sdp" in answer
    assert node.calls("acme") == 0
