"""One tenant's routing data as the edge snapshot carries it (``pbx_core.snapshot``), from
one consistent query of the tenant's partition: HA1 digests, never a SIP password; trunk
passwords decrypted, because the edge registers with the carriers."""

from __future__ import annotations

from dataclasses import replace

from control_plane.agents import store as agents_store
from control_plane.agents.store import AgentItem
from control_plane.blocklist.store import BlockItem
from control_plane.branches.store import BranchItem
from control_plane.core import clock, keys, store
from control_plane.dids.store import NumberItem
from control_plane.extensions.store import ExtensionItem
from control_plane.fraud.store import FraudHoldItem, holds_in_force
from control_plane.queues import store as queues_store
from control_plane.queues.store import QueueItem
from control_plane.recordings import service as recordings
from control_plane.security.store import BanItem, lifted_keys
from control_plane.tenants.store import TenantItem
from control_plane.trunks import service as trunks
from control_plane.trunks.store import TrunkItem
from control_plane.users.store import UserItem
from pbx_core import defaults, routing, sealing, snapshot

KINDS = (
    TenantItem, ExtensionItem, BranchItem, TrunkItem, NumberItem, BlockItem, BanItem, FraudHoldItem, QueueItem,
    AgentItem, UserItem,
)  # fmt: skip


def tenant_config(tenant_id: str, *, seal_key: str | None) -> snapshot.TenantConfig | None:
    """The tenant's part of a snapshot (None: no such tenant). Carrier passwords are sealed
    to ``seal_key`` (the edge's X25519 public key); without a key there are none."""
    tenant: TenantItem | None = None
    exts: dict[str, snapshot.ExtensionConfig] = {}
    branches: dict[str, snapshot.BranchConfig] = {}
    trunk_cfgs: dict[str, snapshot.TrunkConfig] = {}
    numbers: dict[str, snapshot.NumberConfig] = {}
    blocks: list[snapshot.BlockRule] = []
    bans: list[BanItem] = []
    holds: list[FraudHoldItem] = []
    queues: dict[str, snapshot.QueueConfig] = {}
    agents: dict[str, snapshot.AgentStatus] = {}
    user_exts: dict[str, str] = {}
    for item in store.partition(keys.tenant_pk(tenant_id), KINDS):
        if isinstance(item, TenantItem):
            tenant = item
        elif isinstance(item, ExtensionItem) and item.status == "active":
            exts[item.number] = snapshot.ExtensionConfig(
                number=item.number,
                ha1=item.ha1,
                display_name=item.display_name,
                branch_id=item.branch_id or "",
                pickup_group=item.pickup_group or "",
                outbound=item.outbound or defaults.OUTBOUND,
                caller_id=item.caller_id or "",
            )
        elif isinstance(item, BranchItem):
            branches[item.branch_id] = snapshot.BranchConfig(id=item.branch_id, name=item.name, prefix=item.prefix)
        elif isinstance(item, TrunkItem):
            sealed = ""
            if seal_key and item.secret:
                context = sealing.trunk_context(tenant_id, item.trunk_id)
                sealed = sealing.seal(seal_key, trunks.password(tenant_id, item), context)
            trunk_cfgs[item.trunk_id] = snapshot.TrunkConfig(
                id=item.trunk_id,
                name=item.name,
                host=item.host,
                port=int(item.port),
                transport=item.transport,
                auth=item.auth,
                username=item.username or "",
                password_sealed=sealed,  # issue 13: never in clear over the wire
                ips=tuple(str(i) for i in item.ips or ()),
                channels=int(item.channels),
                codecs=tuple(str(c) for c in item.codecs or ()),
            )
        elif isinstance(item, NumberItem):
            numbers[item.number] = snapshot.NumberConfig(
                number=item.number, kind=item.number_kind, trunk_id=item.trunk_id, route_to=item.route_to or ""
            )
        elif isinstance(item, BanItem):
            bans.append(item)
        elif isinstance(item, FraudHoldItem):
            holds.append(item)
        elif isinstance(item, QueueItem):
            queues[item.queue_id] = queues_store.config(item)
        elif isinstance(item, AgentItem):
            agents[item.extension] = agents_store.config(item)
        elif isinstance(item, UserItem) and item.extension and item.status == "active":
            user_exts[item.user_id] = item.extension  # a contact's owner rings here first (issue 17)
        elif isinstance(item, BlockItem):
            blocks.append(
                snapshot.BlockRule(pattern=item.pattern, direction=item.direction, extension=item.extension or "")
            )
    if tenant is None:
        return None
    now = int(clock.now().timestamp())
    for number, hold in holds_in_force(holds, now).items():
        if number in exts:  # issue 14 item 5: the fraud guard holds its outside calls
            exts[number] = _held(exts[number], hold)
    blocks.sort(key=lambda b: (b.extension, b.pattern, b.direction))
    return snapshot.TenantConfig(
        id=tenant.tenant_id,
        domain=tenant.domain,
        status=tenant.status,
        max_concurrent_calls=int(tenant.max_concurrent_calls),
        record_calls=recordings.records(tenant),  # false while full under stop_recording
        extensions=exts,
        plan=tenant.plan,
        default_caller_id=tenant.default_caller_id or "",
        outbound_policy=snapshot.OutboundPolicy(
            international=bool(tenant.outbound_international), premium_1900=bool(tenant.outbound_premium_1900)
        ),
        branches=branches,
        trunks=trunk_cfgs,
        numbers=numbers,
        blocklist=tuple(blocks),
        lifted_bans=lifted_keys(bans, now),
        queues=queues,
        agents={n: a for n, a in agents.items() if n in exts},  # an agent of a deleted extension is gone
        user_extensions={u: n for u, n in user_exts.items() if n in exts},  # active extensions only
        allow_private_trunk_hosts=bool(tenant.allow_private_trunk_hosts),  # the edge checks resolved names
    )


def _held(ext: snapshot.ExtensionConfig, hold: FraudHoldItem) -> snapshot.ExtensionConfig:
    """A suspension is also ``internal_only`` (an edge that predates ``outbound_hold``
    refuses the outside calls all the same); a pause carries its end."""
    suspended = int(hold.until or 0) <= 0
    return replace(
        ext,
        outbound=routing.OUTBOUND_INTERNAL_ONLY if suspended else ext.outbound,
        outbound_hold=hold.action,
        outbound_hold_until=0 if suspended else int(hold.until),
    )
