"""Agent status items (``T#<tenant_id>`` / ``AGENT#<extension>``): what the agent of an
extension set (logged_out / ready / paused with a reason) and since when. No item = logged out."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store
from pbx_core import snapshot


class AgentItem(store.Item, discriminator="agent_status"):
    tenant_id = UnicodeAttribute()
    extension = UnicodeAttribute()
    user_id = UnicodeAttribute(default="")  # who set it ("" = a supervisor for an extension without a user)
    status = UnicodeAttribute(default="logged_out")
    reason = UnicodeAttribute(default="")
    since = NumberAttribute(default=0)  # unix time the status was set
    set_by = UnicodeAttribute(default="")  # the caller's sub (the agent, or a supervisor)
    rev = NumberAttribute(default=0)
    updated_at = UnicodeAttribute()


def item(tenant_id: str, extension: str, **fields: Any) -> AgentItem:
    return AgentItem(
        keys.tenant_pk(tenant_id), keys.agent_sk(extension), tenant_id=tenant_id, extension=extension, **fields
    )


def get(tenant_id: str, extension: str) -> AgentItem | None:
    return store.get_child(tenant_id, AgentItem, keys.agent_sk(extension))


def list_all(tenant_id: str) -> list[AgentItem]:
    return store.list_children(tenant_id, AgentItem, keys.AGENT_PREFIX)


def config(a: AgentItem) -> snapshot.AgentStatus:
    return snapshot.AgentStatus(
        extension=a.extension, user_id=a.user_id or "", status=a.status, reason=a.reason or "", since=int(a.since or 0)
    )


class PauseReasonsItem(store.Item, discriminator="pause_reasons"):
    """The tenant's list of pause reasons (empty: agents type their own)."""

    tenant_id = UnicodeAttribute()
    reasons = ListAttribute(of=UnicodeAttribute, default=list)
    updated_at = UnicodeAttribute()


def pause_reasons(tenant_id: str) -> list[str]:
    item = store.get_child(tenant_id, PauseReasonsItem, keys.PAUSE_REASONS_SK)
    return [str(r) for r in item.reasons or []] if item else []


def put_pause_reasons(tenant_id: str, reasons: list[str], updated_at: str) -> None:
    store.configure()
    PauseReasonsItem(
        keys.tenant_pk(tenant_id), keys.PAUSE_REASONS_SK, tenant_id=tenant_id, reasons=reasons, updated_at=updated_at
    ).save()
