"""The edge configuration snapshot: what the control plane sends to an edge node.

It carries only what the edge needs to route calls on its own when the control plane is
unreachable (S7): tenants, their domains, limits and extensions with HA1 digests. It never
carries a SIP password; a carrier's password travels only sealed to the edge's own key
(``password_sealed``, issue 13), and the edge agent opens it into its 0600 file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from pbx_core import defaults
from pbx_core.errors import ValidationError

SCHEMA = 1


@dataclass(frozen=True)
class ExtensionConfig:
    number: str
    ha1: str
    display_name: str = ""
    branch_id: str = ""  # "" = the tenant's main branch
    pickup_group: str = ""  # "" = no group pickup
    outbound: str = defaults.OUTBOUND  # internal_only | national (S4 policy still applies)
    caller_id: str = ""  # DID shown on outbound calls; "" = the tenant's default
    # Issue 14 item 5: the toll-fraud guard paused ("throttle", until ``outbound_hold_until``)
    # or suspended ("suspend", until an admin lifts it) the extension's outside calls.
    outbound_hold: str = ""
    outbound_hold_until: int = 0  # unix time; 0 = until lifted


@dataclass(frozen=True)
class BranchConfig:
    """F6: a branch of the tenant, reached from other branches by prefix + extension."""

    id: str
    name: str
    prefix: str  # short-dial digits, e.g. "8" -> 8 + 101 reaches 101 in this branch


@dataclass(frozen=True)
class TrunkConfig:
    """F2: a carrier SIP trunk. The password is here because the edge must register with
    the carrier; the snapshot file is mode 0600 and never logged."""

    id: str
    name: str
    host: str
    port: int = defaults.SIP_PORT
    transport: str = defaults.TRANSPORT
    auth: str = defaults.TRUNK_AUTH  # ip | register
    username: str = ""
    password: str = ""  # in the edge's own file only: the agent opens ``password_sealed``
    password_sealed: str = ""  # sealed to the edge's key by the control plane (pbx_core.sealing)
    ips: tuple[str, ...] = ()  # source addresses accepted for inbound calls
    channels: int = defaults.TRUNK_CHANNELS
    codecs: tuple[str, ...] = defaults.CODECS
    # The IP address the edge checked and sends to (issue 13, DNS rebinding): the edge agent
    # resolves ``host`` itself, keeps an address ``netpolicy.pick_address`` allows, and
    # writes it here in its own file; "" = none (an unresolved or refused name: no calls
    # through this trunk; a host that is an address literal is checked as it is). The
    # control plane never sets it.
    address: str = ""


@dataclass(frozen=True)
class NumberConfig:
    """F2: a DID owned by the tenant, in national form (0 + significant number)."""

    number: str
    kind: str  # fixed | mobile | tollfree (1800) | premium (1900)
    trunk_id: str
    route_to: str  # extension number an inbound call rings


@dataclass(frozen=True)
class BlockRule:
    """F10: block a number (exact) or a prefix (pattern ending in '*')."""

    pattern: str  # national form, e.g. "0912345678" or "1900*"
    direction: str = "both"  # in | out | both
    extension: str = ""  # "" = the whole tenant


# Issue 16 (CC2): call-center queues and their agents. A queue has its own short number in
# the tenant's dial plan (beside the extensions) and DIDs may route to it (NumberConfig.
# route_to holds the queue's number). The media worker holding a caller runs the queue
# (pbx_core.acd decides, edge_node carries it out).
QUEUE_STRATEGIES = ("ringall", "longest_idle", "fewest_calls", "round_robin", "linear", "random")
# What happens to a caller the queue cannot keep (full, no agent, waited too long):
# "" = a short message, then the call ends; "queue:<queue id>", "extension:<number>",
# "message" (the voicemail-style message) or "callback" (the caller is called back later).
AGENT_STATUSES = ("logged_out", "ready", "paused")


@dataclass(frozen=True)
class QueueMember:
    extension: str
    penalty: int = 0  # tier: 0 is offered first; tier n opens after n * widen_after_s of wait


@dataclass(frozen=True)
class QueueConfig:
    id: str
    name: str
    number: str  # short number in the tenant's dial plan, e.g. "600"
    strategy: str = "ringall"  # one of QUEUE_STRATEGIES
    members: tuple[QueueMember, ...] = ()
    ring_timeout_s: int = 15  # one offer rings this long
    retry_s: int = 2  # pause before the next offer after an unanswered one
    max_wait_s: int = 300  # 0 = no limit; then overflow
    max_len: int = 0  # waiting callers; 0 = no limit; a caller over it goes to overflow
    overflow: str = ""  # see above
    wrapup_s: int = 10  # after a queue call the agent is not offered calls this long
    autopause_after: int = 3  # unanswered offers in a row pause the agent; 0 = never
    widen_after_s: int = 30  # each further penalty tier opens after this much wait
    service_level_s: int = 20  # answered within this many seconds counts as in service level
    join_empty: bool = False  # a caller may join while no member is logged in
    leave_when_empty: bool = True  # waiting callers overflow when the last member logs out
    announce_every_s: int = 30  # position and expected wait; 0 = never
    callback: bool = True  # the caller may press 1 to be called back, keeping the place
    rejoin_s: int = 60  # a caller who hung up and calls again within this keeps the place
    language: str = "vi"  # vi | en: the prompts
    # the tenant's own recordings: ("<lang>/<name>", sha256) (the edge agent fetches them)
    prompts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AgentStatus:
    """What an agent set (login, pause with a reason, logout); the agent's state (idle,
    ringing, in a call, wrap-up) is the worker's, never in the snapshot."""

    extension: str
    user_id: str = ""
    status: str = "logged_out"  # one of AGENT_STATUSES
    reason: str = ""  # the pause reason
    since: int = 0  # unix time the status was set


@dataclass(frozen=True)
class OutboundPolicy:
    """S4: Vietnam only by default; 1900 premium opt-in; emergency always allowed."""

    international: bool = False
    premium_1900: bool = False


@dataclass(frozen=True)
class TenantConfig:
    id: str
    domain: str
    status: str = "active"
    max_concurrent_calls: int = 10
    record_calls: bool = True
    extensions: dict[str, ExtensionConfig] = field(default_factory=dict)
    plan: str = ""
    default_caller_id: str = ""
    outbound_policy: OutboundPolicy = field(default_factory=OutboundPolicy)
    branches: dict[str, BranchConfig] = field(default_factory=dict)
    trunks: dict[str, TrunkConfig] = field(default_factory=dict)
    numbers: dict[str, NumberConfig] = field(default_factory=dict)
    blocklist: tuple[BlockRule, ...] = ()
    # S4 exception the provider made: networks outside Vietnam its phones may be used from
    abroad_networks: tuple[str, ...] = ()
    # bans and holds of the edge firewall a tenant admin lifted: (edge key, unix time)
    lifted_bans: tuple[tuple[str, int], ...] = ()
    queues: dict[str, QueueConfig] = field(default_factory=dict)  # by id
    agents: dict[str, AgentStatus] = field(default_factory=dict)  # by extension
    # user id -> the user's extension (users with one): a contact's owner (a user) is rung
    # at that extension first (issue 17, routing by owner)
    user_extensions: dict[str, str] = field(default_factory=dict)
    # the provider let this tenant's trunks name loopback/private hosts (a carrier over a
    # private link); the edge checks the addresses it resolves against it (issue 13)
    allow_private_trunk_hosts: bool = False

    def queue_by_number(self, number: str) -> QueueConfig | None:
        return next((q for q in self.queues.values() if q.number == number), None)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Snapshot:
    version: int
    tenants: dict[str, TenantConfig] = field(default_factory=dict)
    edge_id: str = ""
    # Indexes built once per parse: the call path looks tenants up by SIP domain.
    by_domain: dict[str, TenantConfig] = field(default_factory=dict, compare=False, repr=False)

    def tenant_for_domain(self, domain: str) -> TenantConfig | None:
        return self.by_domain.get(domain.lower())

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "version": self.version,
            "edge_id": self.edge_id,
            "tenants": [
                {
                    "id": t.id,
                    "domain": t.domain,
                    "status": t.status,
                    "max_concurrent_calls": t.max_concurrent_calls,
                    "record_calls": t.record_calls,
                    "extensions": [asdict(e) for e in sorted(t.extensions.values(), key=lambda e: e.number)],
                    "plan": t.plan,
                    "default_caller_id": t.default_caller_id,
                    "outbound_policy": asdict(t.outbound_policy),
                    "branches": [asdict(b) for b in sorted(t.branches.values(), key=lambda b: b.id)],
                    "trunks": [_trunk_dict(k) for k in sorted(t.trunks.values(), key=lambda k: k.id)],
                    "numbers": [asdict(n) for n in sorted(t.numbers.values(), key=lambda n: n.number)],
                    "blocklist": [asdict(b) for b in t.blocklist],
                    "abroad_networks": list(t.abroad_networks),
                    "lifted_bans": [{"key": k, "at": at} for k, at in t.lifted_bans],
                    "queues": [_queue_dict(q) for q in sorted(t.queues.values(), key=lambda q: q.id)],
                    "agents": [asdict(a) for a in sorted(t.agents.values(), key=lambda a: a.extension)],
                    "user_extensions": dict(sorted(t.user_extensions.items())),
                    "allow_private_trunk_hosts": t.allow_private_trunk_hosts,
                }
                for t in sorted(self.tenants.values(), key=lambda t: t.id)
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))


def _str_map(t: dict[str, Any], key: str) -> dict[str, str]:
    raw = t.get(key) or {}
    if not isinstance(raw, dict):
        raise ValidationError(f"snapshot: {key} must be an object")
    return {str(k): str(v) for k, v in raw.items()}


def _trunk_dict(t: TrunkConfig) -> dict[str, Any]:
    d = asdict(t)
    d["ips"] = list(t.ips)
    d["codecs"] = list(t.codecs)
    return d


def _queue_dict(q: QueueConfig) -> dict[str, Any]:
    d = asdict(q)
    d["members"] = [asdict(m) for m in q.members]
    d["prompts"] = dict(q.prompts)
    return d


_QUEUE_INTS = (
    "ring_timeout_s",
    "retry_s",
    "max_wait_s",
    "max_len",
    "wrapup_s",
    "autopause_after",
    "widen_after_s",
    "service_level_s",
    "announce_every_s",
    "rejoin_s",
)


def _queue(q: dict[str, Any]) -> QueueConfig:
    """A queue from its snapshot object; absent settings keep their defaults."""
    kw: dict[str, Any] = {k: int(q[k]) for k in _QUEUE_INTS if k in q}
    kw.update({k: bool(q[k]) for k in ("join_empty", "leave_when_empty", "callback") if k in q})
    kw.update({k: str(q[k]) for k in ("strategy", "overflow", "language") if k in q})
    members = tuple(
        QueueMember(extension=_req(m, "extension", str), penalty=int(m.get("penalty", 0))) for m in _objs(q, "members")
    )
    prompts = tuple(sorted((str(k), str(v)) for k, v in _str_map(q, "prompts").items()))
    return QueueConfig(
        id=_req(q, "id", str), name=str(q.get("name", "")), number=_req(q, "number", str), members=members,
        prompts=prompts, **kw,
    )  # fmt: skip


def build(version: int, tenants: list[TenantConfig], edge_id: str = "") -> Snapshot:
    return Snapshot(
        version=version,
        tenants={t.id: t for t in tenants},
        edge_id=edge_id,
        by_domain={t.domain.lower(): t for t in tenants},
    )


def _req(d: dict[str, Any], key: str, typ: type) -> Any:
    v = d.get(key)
    if not isinstance(v, typ) or (isinstance(v, bool) and typ is not bool):
        raise ValidationError(f"snapshot: {key!r} must be {typ.__name__}", fields={key: typ.__name__})
    return v


def _objs(d: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """An optional list of objects (newer fields default to empty for older producers)."""
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise ValidationError(f"snapshot: {key!r} must be a list of objects", fields={key: "list"})
    return v


def from_dict(raw: object) -> Snapshot:
    if not isinstance(raw, dict):
        raise ValidationError("snapshot must be a JSON object")
    if raw.get("schema") != SCHEMA:
        raise ValidationError(f"snapshot schema {raw.get('schema')!r} is not {SCHEMA}")
    tenants: list[TenantConfig] = []
    for t in _req(raw, "tenants", list):
        if not isinstance(t, dict):
            raise ValidationError("snapshot: tenant must be an object")
        exts: dict[str, ExtensionConfig] = {}
        for e in _req(t, "extensions", list):
            if not isinstance(e, dict):
                raise ValidationError("snapshot: extension must be an object")
            ext = ExtensionConfig(
                number=_req(e, "number", str),
                ha1=_req(e, "ha1", str),
                display_name=str(e.get("display_name", "")),
                branch_id=str(e.get("branch_id", "")),
                pickup_group=str(e.get("pickup_group", "")),
                outbound=str(e.get("outbound", defaults.OUTBOUND)),
                caller_id=str(e.get("caller_id", "")),
                outbound_hold=str(e.get("outbound_hold", "")),
                outbound_hold_until=int(e.get("outbound_hold_until", 0)),
            )
            exts[ext.number] = ext
        pol = t.get("outbound_policy") or {}
        if not isinstance(pol, dict):
            raise ValidationError("snapshot: outbound_policy must be an object")
        branches = [
            BranchConfig(id=_req(b, "id", str), name=str(b.get("name", "")), prefix=_req(b, "prefix", str))
            for b in _objs(t, "branches")
        ]
        trunks = [
            TrunkConfig(
                id=_req(k, "id", str),
                name=str(k.get("name", "")),
                host=_req(k, "host", str),
                port=int(k.get("port", defaults.SIP_PORT)),
                transport=str(k.get("transport", defaults.TRANSPORT)),
                auth=str(k.get("auth", defaults.TRUNK_AUTH)),
                username=str(k.get("username", "")),
                password=str(k.get("password", "")),
                password_sealed=str(k.get("password_sealed", "")),
                ips=tuple(str(i) for i in k.get("ips", ())),
                channels=int(k.get("channels", defaults.TRUNK_CHANNELS)),
                codecs=tuple(str(c) for c in k.get("codecs", defaults.CODECS)),
                address=str(k.get("address", "")),
            )
            for k in _objs(t, "trunks")
        ]
        numbers = [
            NumberConfig(
                number=_req(n, "number", str),
                kind=str(n.get("kind", "fixed")),
                trunk_id=str(n.get("trunk_id", "")),
                route_to=str(n.get("route_to", "")),
            )
            for n in _objs(t, "numbers")
        ]
        blocklist = tuple(
            BlockRule(
                pattern=_req(b, "pattern", str),
                direction=str(b.get("direction", "both")),
                extension=str(b.get("extension", "")),
            )
            for b in _objs(t, "blocklist")
        )
        tenants.append(
            TenantConfig(
                id=_req(t, "id", str),
                domain=_req(t, "domain", str).lower(),
                status=_req(t, "status", str),
                max_concurrent_calls=_req(t, "max_concurrent_calls", int),
                record_calls=bool(t.get("record_calls", True)),
                extensions=exts,
                plan=str(t.get("plan", "")),
                default_caller_id=str(t.get("default_caller_id", "")),
                outbound_policy=OutboundPolicy(
                    international=bool(pol.get("international", False)),
                    premium_1900=bool(pol.get("premium_1900", False)),
                ),
                branches={b.id: b for b in branches},
                trunks={k.id: k for k in trunks},
                numbers={n.number: n for n in numbers},
                blocklist=blocklist,
                abroad_networks=tuple(str(n) for n in t.get("abroad_networks", ())),
                lifted_bans=tuple((str(x["key"]), int(x["at"])) for x in _objs(t, "lifted_bans")),
                queues={q.id: q for q in map(_queue, _objs(t, "queues"))},
                agents={
                    a.extension: a
                    for a in (
                        AgentStatus(
                            extension=_req(x, "extension", str),
                            user_id=str(x.get("user_id", "")),
                            status=str(x.get("status", "logged_out")),
                            reason=str(x.get("reason", "")),
                            since=int(x.get("since", 0)),
                        )
                        for x in _objs(t, "agents")
                    )
                },
                user_extensions=_str_map(t, "user_extensions"),
                allow_private_trunk_hosts=t.get("allow_private_trunk_hosts") is True,
            )
        )
    return build(_req(raw, "version", int), tenants, str(raw.get("edge_id", "")))


def from_json(text: str | bytes) -> Snapshot:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"snapshot is not JSON: {exc}") from exc
    try:
        return from_dict(raw)
    except (TypeError, ValueError) as exc:  # int("x") in a field
        raise ValidationError(f"invalid snapshot: {exc}") from exc
