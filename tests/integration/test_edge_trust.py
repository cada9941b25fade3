"""The edge's trust holes (issue 13, items 1, 2, 3 and the edge half of 6), attacked for
real: Kamailio with the KEMI script and a real pjsua2 worker, a scripted phone on a bare
UDP socket as the attacker (``rawsip.RawPhone``: it can forge what real phones never
would), real baresip phones as the other parties, and a scripted carrier's SBC
(``rawsip.RawCarrier``) that remembers every INVITE it got.

Each test checks what a user would: the other tenant's phone did not ring, the trunk was
not dialled, the call stayed up and both sides still hear each other, the worker answered
403, the CDR does not carry a forged value.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from infra.procs import LOCALHOST
from pbx_core.snapshot import NumberConfig, Snapshot, TrunkConfig
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.integration.checks import assert_tone
from tests.integration.phones import Phone, active_seconds, read_channels, tone_power
from tests.integration.rawsip import Dialog, Msg, RawCarrier, RawPhone, send_once

pytestmark = pytest.mark.integration

A, B = "acme.test", "other.test"
PW_A = {n: f"acme-secret-{n}-trust" for n in ("101", "102", "103", "105", "109")}
PW_B = {n: f"other-secret-{n}-trust" for n in ("101", "201")}
DID_A, DID_B = "02873001111", "02473002222"
ATTACKER_HZ, VICTIM_HZ = 440.0, 1000.0
ELSEWHERE = "127.0.0.2"  # another loopback address: not the edge


class Carriers:
    def __init__(self) -> None:
        self.a = RawCarrier()  # acme's SBC
        self.b = RawCarrier()  # the other tenant's SBC

    def reset(self) -> None:
        for c in (self.a, self.b):
            c.bye_all()
            with c._cond:
                c.received.clear()

    def stop(self) -> None:
        self.a.stop()
        self.b.stop()


def _snap(c: Carriers, *, limit: int = 10, channels: int = 30, trunk_user: str = "", display: str = "") -> Snapshot:
    acme = tenant(
        "acme",
        A,
        PW_A,
        max_calls=limit,
        default_caller_id=DID_A,
        ext_settings={"109": {"outbound": "internal_only"}, **({"101": {"display_name": display}} if display else {})},
        trunks={
            "vt": TrunkConfig("vt", "Viettel", LOCALHOST, c.a.port, username=trunk_user, channels=channels, ips=())
        },
        numbers={DID_A: NumberConfig(DID_A, "fixed", "vt", "102")},
    )
    if trunk_user:  # no DID: the trunk's username is the caller id (From, P-Asserted-Identity)
        acme = replace(acme, numbers={}, default_caller_id="")
    other = tenant(
        "other",
        B,
        PW_B,
        default_caller_id=DID_B,
        trunks={"bt": TrunkConfig("bt", "Other carrier", LOCALHOST, c.b.port)},
        numbers={DID_B: NumberConfig(DID_B, "fixed", "bt", "201")},
    )
    return snapshot(int(time.time() * 1000) % 10**9, [acme, other])


@pytest.fixture(scope="module")
def carriers() -> Iterator[Carriers]:
    c = Carriers()
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, carriers: Carriers) -> Iterator[EdgeNode]:
    with edge_node(tmp_path_factory.mktemp("trust"), _snap(carriers), ring_timeout=15.0) as n:
        yield n


@pytest.fixture
def configure(node: EdgeNode, carriers: Carriers) -> Iterator[object]:
    """``configure(**kw)`` writes a snapshot variant for one test; the default comes back."""

    def apply(**kw: object) -> None:
        node.write(_snap(carriers, **kw))  # type: ignore[arg-type]

    yield apply
    node.write(_snap(carriers))


class Parties:
    """The phones of one test (stopped at the end, the carriers' calls hung up)."""

    def __init__(self, node: EdgeNode, carriers: Carriers, tmp: Path) -> None:
        self.node, self.carriers, self.tmp = node, carriers, tmp
        self.raw: list[RawPhone] = []
        self.phones: list[Phone] = []

    def attacker(self, user: str = "101", domain: str = A, ip: str = LOCALHOST) -> RawPhone:
        pw = (PW_A if domain == A else PW_B)[user]
        p = RawPhone(user, domain, pw, self.node.target, ip=ip, tone=ATTACKER_HZ)
        self.raw.append(p)
        return p

    def phone(self, user: str, domain: str = A, *, answer: bool = True, tone: float = VICTIM_HZ) -> Phone:
        pw = (PW_A if domain == A else PW_B)[user]
        p = Phone(self.tmp, user, domain, pw, self.node.target, tone, "auto" if answer else "manual")
        self.phones.append(p)
        p.start()
        assert p.wait_registered()["type"] == "REGISTER_OK"
        return p

    def stop(self) -> None:
        for r in self.raw:
            r.stop()
        for p in self.phones:
            p.stop()
        self.carriers.reset()


@pytest.fixture
def parties(node: EdgeNode, carriers: Carriers, tmp_path: Path) -> Iterator[Parties]:
    p = Parties(node, carriers, tmp_path)
    carriers.reset()
    try:
        yield p
    finally:
        p.stop()
        node.wait_calls("acme", 0, timeout=10)


def rang(phone: Phone) -> bool:
    return any(e.get("type") in ("CALL_INCOMING", "CALL_ESTABLISHED") for e in phone.events)


def established(attacker: RawPhone, node: EdgeNode, dialled: str, victim: Phone | None = None) -> Dialog:
    dlg = attacker.call(dialled)
    assert dlg.final is not None and dlg.final.code == 200, (dlg.final and dlg.final.first, node.why())
    if victim is not None:
        victim.wait_event("CALL_ESTABLISHED", timeout=10)
    time.sleep(1.0)
    return dlg


def still_talking(attacker: RawPhone, dlg: Dialog, victim: Phone, since: float, node: EdgeNode) -> None:
    """The call is up and audio flows both ways from ``since`` on: the attacker hears the
    victim's tone; the victim (checked from its dump once the call ended) the attacker's."""
    time.sleep(max(0.0, since + 2.5 - time.monotonic()))
    assert not attacker.byes, "the call was cut: " + attacker.byes[0].first
    assert not [e for e in victim.events if e.get("type") == "CALL_CLOSED"], "the other party was cut"
    heard = attacker.heard_since(since + 0.5)
    assert active_seconds(heard, 8000) > 1.5, f"the attacker hears nothing ({len(heard)} samples)\n{node.why()}"
    assert_tone(heard, 8000, VICTIM_HZ, ATTACKER_HZ, "the attacker hears the other party")
    bye = attacker.hangup(dlg)
    assert bye is not None and bye.code == 200, bye
    victim.wait_event("CALL_CLOSED", timeout=10)
    (samples,), rate = read_channels(victim.heard())
    # The scripted attacker paces its RTP from a Python thread: on a loaded machine it comes
    # in bursts and the worker's jitter buffer cuts the tone's phase, which assert_tone's
    # purity test (> 50 % of a window's power) reads as noise. What matters here: the
    # other party hears audio, and it is the attacker's tone, not its own.
    tail = samples[-2 * rate :]
    assert active_seconds(tail, rate) > 1.0, "the other party hears nothing any more"
    win = rate // 4
    windows = [tail[i : i + win] for i in range(0, len(tail) - win + 1, win) if max(map(abs, tail[i : i + win])) > 500]
    ours = [tone_power(w, rate, ATTACKER_HZ) for w in windows]
    theirs = [tone_power(w, rate, VICTIM_HZ) for w in windows]
    good = sum(1 for a, b in zip(ours, theirs, strict=True) if a > 0.1 and a > 10 * b)
    assert windows and good >= 0.8 * len(windows), ("the other party does not hear the attacker", ours, theirs)


def code(answer: Msg | None) -> int:
    return answer.code if answer is not None else 0


# ---------------------------------------------------------------------------------------
# 1. forged in-dialog REFER


@pytest.mark.parametrize(
    ("who", "forged_from", "target", "harm"),
    [
        ("101", f"<sip:101@{B}>", f"<sip:201@{B}>", "other_tenant_phone"),
        ("101", f"<sip:101@{B}>", f"<sip:0912345678@{B}>", "other_tenant_trunk"),
        ("109", f"<sip:101@{A}>", f"<sip:0912345678@{A}>", "internal_only_out"),
    ],
)
def test_a_forged_refer_is_refused_and_the_call_stays_up(
    node: EdgeNode, parties: Parties, who: str, forged_from: str, target: str, harm: str
) -> None:
    """Inside its own answered call 1xx -> 102, the attacker sends a REFER whose From names
    another tenant (or another extension of its own tenant, to escape its internal_only
    setting). The edge must take the tenant and extension from the dialog's authenticated
    INVITE, and refuse a REFER whose parties do not match."""
    other_phone = parties.phone("201", B, answer=False)
    victim = parties.phone("102")
    attacker = parties.attacker(who)
    dlg = established(attacker, node, "102", victim)
    t = time.monotonic()
    answer = attacker.refer(dlg, target, from_hdr=forged_from)
    time.sleep(3.0)
    outcome = {
        "refer": code(answer),
        "other_tenant_phone_rang": rang(other_phone),
        "other_trunk_dialled": len(parties.carriers.b.invites()),
        "own_trunk_dialled": len(parties.carriers.a.invites()),
    }
    assert outcome == {
        "refer": 403,
        "other_tenant_phone_rang": False,
        "other_trunk_dialled": 0,
        "own_trunk_dialled": 0,
    }, f"{harm}: {outcome}"
    still_talking(attacker, dlg, victim, t, node)
    cdr = node.wait_cdr(dlg.call_id)
    assert cdr["chain"] == [] and cdr["tenant_id"] == "acme", cdr


# ---------------------------------------------------------------------------------------
# 2. legs nobody counts


def test_a_call_transferred_out_keeps_both_outside_legs_counted(
    node: EdgeNode, parties: Parties, configure: object
) -> None:
    """Call outside number X, transfer to outside number Y, hang up: X and Y stay bridged
    over two trunk legs, and both count against the plan (limit 2), so the next outside
    call is refused and the carrier never gets it."""
    configure(limit=2)  # type: ignore[operator]
    carrier = parties.carriers.a
    attacker = parties.attacker("101")
    dlg = established(attacker, node, "0912000001")
    answer = attacker.refer(dlg, f"<sip:0912000002@{A}>")
    assert code(answer) == 202, answer and answer.first
    deadline = time.monotonic() + 10
    while not attacker.byes and time.monotonic() < deadline:  # released once Y answered
        time.sleep(0.1)
    assert attacker.byes, "the transferor was not released"
    assert len(carrier.invites()) == 2
    counted = node.wait_calls("acme", 2, timeout=3)
    third = parties.attacker("103").call("0912000003")
    outcome = {"counted": counted, "third_call": code(third.final), "carrier_invites": len(carrier.invites())}
    assert outcome == {"counted": 2, "third_call": 503, "carrier_invites": 2}, outcome
    assert third.final is not None and third.final.header("X-PBX-Reason") == "call_limit"


def test_a_trunks_channels_are_enforced(node: EdgeNode, parties: Parties, configure: object) -> None:
    """A trunk with 1 channel carries one call: the second outside call is refused (503
    trunk_busy) and never reaches the carrier."""
    configure(channels=1)  # type: ignore[operator]
    carrier = parties.carriers.a
    established(parties.attacker("101"), node, "0912000011")
    second = parties.attacker("103").call("0912000012")
    outcome = {
        "second": code(second.final),
        "reason": second.final.header("X-PBX-Reason") if second.final else "",
        "carrier_invites": len(carrier.invites()),
    }
    assert outcome == {"second": 503, "reason": "trunk_busy", "carrier_invites": 1}, outcome


def test_a_transfer_out_over_the_limit_is_refused_and_gives_the_call_back(
    node: EdgeNode, parties: Parties, configure: object
) -> None:
    """At the plan's limit (one outside call and one internal call, limit 2) a transfer of
    the internal call to an outside number is refused: the carrier is not dialled, the
    transferor and the transferee stay connected and hear each other."""
    configure(limit=2)  # type: ignore[operator]
    carrier = parties.carriers.a
    established(parties.attacker("103"), node, "0912000021")
    victim = parties.phone("102")
    attacker = parties.attacker("101")
    dlg = established(attacker, node, "102", victim)
    assert node.wait_calls("acme", 2, timeout=3) == 2
    t = time.monotonic()
    answer = attacker.refer(dlg, f"<sip:0912000022@{A}>")
    time.sleep(3.0)
    outcome = {"refer_refused_or_leg_refused": len(carrier.invites()) == 1, "carrier_invites": len(carrier.invites())}
    assert outcome == {"refer_refused_or_leg_refused": True, "carrier_invites": 1}, (outcome, code(answer))
    still_talking(attacker, dlg, victim, t, node)


def test_transfers_per_call_are_capped(node: EdgeNode, parties: Parties) -> None:
    """Transfer after failed transfer in one call (each one a new leg): past the cap the
    worker refuses the REFER; the call stays up."""
    victim = parties.phone("102")
    attacker = parties.attacker("101")
    dlg = established(attacker, node, "102", victim)
    codes = []
    for _ in range(6):
        codes.append(code(attacker.refer(dlg, f"<sip:105@{A}>")))  # 105 has no phone: it fails
        time.sleep(1.2)  # the leg fails (480) and the call comes back
    t = time.monotonic()
    assert codes == [202] * 5 + [403], codes
    still_talking(attacker, dlg, victim, t, node)
    cdr = node.wait_cdr(dlg.call_id)
    assert cdr["chain"] == ["transfer:105", "transfer_failed:105"] * 5, cdr["chain"]


# ---------------------------------------------------------------------------------------
# 3. an open worker


def _direct_invite(worker_port: int, callee: str, kind: str, call_id: str, extra: tuple[str, ...] = ()) -> str:
    sdp = (
        "v=0\r\no=x 1 1 IN IP4 {lip}\r\ns=-\r\nc=IN IP4 {lip}\r\nt=0 0\r\n"
        "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
    lines = [
        f"INVITE sip:{callee}@{A} SIP/2.0",
        "Via: SIP/2.0/UDP {lip}:{lport};branch=z9hG4bK" + uuid.uuid4().hex[:10] + ";rport",
        "Max-Forwards: 70",
        f"From: <sip:101@{A}>;tag=" + uuid.uuid4().hex[:8],
        f"To: <sip:{callee}@{A}>",
        f"Call-ID: {call_id}",
        "CSeq: 1 INVITE",
        "Contact: <sip:101@{lip}:{lport}>",
        "X-PBX-Tenant: acme",
        "X-PBX-Caller: 101",
        f"X-PBX-Callee: {callee}",
        f"X-PBX-Kind: {kind}",
        "X-PBX-Record: 0",
        f"X-PBX-Domain: {A}",
        *extra,
        "Content-Type: application/sdp",
        f"Content-Length: {len(sdp.replace('{lip}', ELSEWHERE))}",
    ]
    return "\r\n".join(lines) + "\r\n\r\n" + sdp


@pytest.mark.parametrize(("callee", "kind"), [("102", "internal"), ("0912000031", "outbound")])
def test_an_invite_straight_to_the_worker_is_refused(node: EdgeNode, parties: Parties, callee: str, kind: str) -> None:
    """An INVITE sent to the worker's port from another address, carrying the edge's
    decision headers: 403, no phone rings, the trunk is not dialled, no CDR."""
    victim = parties.phone("102", answer=False)
    call_id = f"direct-{uuid.uuid4().hex[:8]}@{ELSEWHERE}"
    answers, ep = send_once(
        _direct_invite(node.workers[0].port, callee, kind, call_id), (LOCALHOST, node.workers[0].port), ELSEWHERE
    )
    try:
        time.sleep(2.0)
        outcome = {
            "answers": [m.code for m in answers if m.code >= 180],
            "phone_rang": rang(victim),
            "trunk_dialled": len(parties.carriers.a.invites()),
        }
    finally:
        ep.stop()
    assert outcome == {"answers": [403], "phone_rang": False, "trunk_dialled": 0}, (outcome, node.why())
    assert "not_from_edge" in node.workers[0].tail(200)
    time.sleep(1.0)
    assert not [c for c in node.cdrs() if c.get("call_id") == call_id]


def test_a_folded_header_cannot_forge_the_cdr(node: EdgeNode, parties: Parties) -> None:
    """A phone's INVITE with X-PBX-Trunk/-DID/-Branch on folded continuation lines (part of
    another header's value, for Kamailio and pjsip alike): the CDR must not carry them."""
    victim = parties.phone("102")
    attacker = parties.attacker("101")
    folded = [
        "Subject: hello",
        " X-PBX-Trunk: forged-trunk",
        "Organization: acme",
        " X-PBX-DID: 0299999999",
        "Priority: normal",
        "\tX-PBX-Branch: forged-branch",
    ]
    dlg = attacker.call("102", extra=folded)
    assert dlg.final is not None and dlg.final.code == 200, (dlg.final and dlg.final.first, node.why())
    victim.wait_event("CALL_ESTABLISHED", timeout=10)
    time.sleep(1.0)
    attacker.hangup(dlg)
    cdr = node.wait_cdr(dlg.call_id)
    forged = {k: cdr[k] for k in ("trunk_id", "did", "branch_id") if cdr[k]}
    assert forged == {}, forged


def test_signed_decisions_are_checked_by_the_worker(node: EdgeNode, parties: Parties, tmp_path: Path) -> None:
    """An attacker who can send from the edge's address (here: a worker told to trust
    127.0.0.3 too) still needs the edge's signature: unsigned headers, a signature made
    with another key, one taken from another call (replay) or a stale one get 403, and
    nothing rings."""
    from pbx_core import edgesig
    from tests.harness.kamailio import start_worker

    key = node.key_path.read_bytes()
    worker = start_worker(node.tmp, node.port, worker_id="trust-extra", trusted=("127.0.0.3",))
    node.extra.append(worker)
    victim = parties.phone("102", answer=False)

    def signed(call_id: str, *, key_bytes: bytes, signed_for: str | None = None, age: int = 0) -> tuple[str, ...]:
        headers = [
            ("X-PBX-Tenant", "acme"),
            ("X-PBX-Caller", "101"),
            ("X-PBX-Callee", "102"),
            ("X-PBX-Kind", "internal"),
            ("X-PBX-Record", "0"),
            ("X-PBX-Domain", A),
        ]
        sig = edgesig.sign(edgesig.parse_key(key_bytes), signed_for or call_id, headers, int(time.time()) - age)
        return (f"{edgesig.HDR_SIG}: {sig}",)

    cases = {
        "unsigned": lambda cid: (),
        "other_key": lambda cid: signed(cid, key_bytes=b"0" * 64),
        "replayed": lambda cid: signed(cid, key_bytes=key, signed_for="another-call@edge"),
        "stale": lambda cid: signed(cid, key_bytes=key, age=edgesig.REPLAY_WINDOW_S + 30),
    }
    outcome = {}
    for name, extra in cases.items():
        call_id = f"{name}-{uuid.uuid4().hex[:8]}@127.0.0.3"
        answers, ep = send_once(
            _direct_invite(worker.port, "102", "internal", call_id, extra(call_id)),
            (LOCALHOST, worker.port),
            "127.0.0.3",
        )
        ep.stop()
        outcome[name] = [m.code for m in answers if m.code >= 180]
    time.sleep(1.5)
    assert outcome == {name: [403] for name in cases}, (outcome, worker.tail(40))
    assert not rang(victim)
    log = [json.loads(line) for line in worker.tail(400).splitlines() if line.startswith("{")]
    assert {r.get("reason") for r in log if r.get("msg", "").startswith("refused")} >= {"bad_signature"}


# ---------------------------------------------------------------------------------------
# 6. header injection from the configuration


def test_a_crlf_in_a_trunk_username_does_not_reach_the_carrier_as_a_header(
    node: EdgeNode, parties: Parties, configure: object
) -> None:
    """A trunk username with CR/LF (say the API missed it) becomes the caller id of an
    outside call (no DID): the carrier must get no injected header, and one
    P-Asserted-Identity."""
    configure(trunk_user="acme\r\nX-Injected: yes")  # type: ignore[operator]
    carrier = parties.carriers.a
    dlg = parties.attacker("101").call("0912000041")
    assert dlg.final is not None and dlg.final.code == 200, (dlg.final and dlg.final.first, node.why())
    [invite] = carrier.invites()
    names = [k.lower() for k, _ in invite.headers]
    assert "x-injected" not in names, invite.text()
    assert len(invite.all("P-Asserted-Identity")) == 1, invite.text()
    assert "\n" not in invite.header("P-Asserted-Identity")
