"""Every key of the DynamoDB single table, in one place: the table's layout.

Tenant-scoped builders take the ``tenant_id`` first and every tenant key is built from it, so
a caller cannot reach another tenant's rows by passing an id from a request. The item
classes live in the domains' ``store.py``; ``kind`` is PynamoDB's discriminator.

| item (domain package) | pk | sk |
|---|---|---|
| plan (plans) | ``PLAN`` | ``<name>`` |
| tenant (tenants) | ``T#<tenant_id>`` | ``META`` |
| extension, branch, device | ``T#<tenant_id>`` | ``EXT#<n>``, ``BR#<id>``, ``DEV#<id>`` |
| trunk, DID, block rule | ``T#<tenant_id>`` | ``TRUNK#<id>``, ``NUM#<did>``, ``BLK#<id>`` |
| a firewall ban or hold that concerns the tenant (security) | ``T#<tenant_id>`` | ``FWBAN#<ban_id>`` |
| the tenant's toll-fraud settings (fraud) | ``T#<tenant_id>`` | ``FRAUDCFG`` |
| outside calls held by the fraud guard, in the snapshot (fraud) | ``T#<tenant_id>`` | ``FRAUDHOLD#<n>`` |
| a DID the provider assigned to the tenant (dids) | ``T#<tenant_id>`` | ``ASSIGNED#<did>`` |
| user / API key of a tenant (users) | ``T#<tenant_id>`` | ``USER#<id>`` / ``KEY#<id>`` |
| provider user / API key (users) | ``PROVIDER`` | ``USER#<id>`` / ``KEY#<id>`` |
| tenant registry and snapshot version (core.store) | ``TENANTS`` | ``<tenant_id>`` |
| edge registry (edges) | ``EDGES`` | ``<edge_id>`` |
| unique claims (tenants, numbers, users) | ``DOMAIN#<d>``, ``DID#<n>``, ``EMAIL#<e>`` | ``DOMAIN`` ... |
| table-wide snapshot counter / plan seed marker (core.store, plans) | ``META`` | ``VERSION`` / ``PLANS_SEEDED`` |
| one-time provisioning token, SHA-256 (provisioning) | ``PROV#<sha256>`` | ``PROV`` |
| per-device provisioning token, SHA-256 (devices) | ``DEVTOK#<sha256>`` | ``DEVTOK`` |
| API key lookup, SHA-256 of the key (users) | ``APIKEY#<sha256>`` | ``APIKEY`` |
| login session / login throttle (users) | ``SESSION#<sid>`` / ``THROTTLE#<key>`` | ``SESSION`` / ``LOGIN`` |
| issued token (tenant-admin and provider tokens; revocable) (users) | ``TOKENS`` | ``<jti>`` |
| API rate-limit window of a tenant or ``PROVIDER`` (core.ratelimit) | ``RATE#<scope>`` | ``<window start, epoch s>`` |
| edge node (edges) | ``EDGE#<edge_id>`` | ``META`` |
| CDR, newest first by sk (cdrs) | ``T#<tenant_id>#CDR`` | ``<started_at>#<call_id>`` |
| CDR id guard, idempotency (cdrs) | ``T#<tenant_id>#CDRID`` | ``<call_id>`` |
| recording, oldest first; usage = sum of bytes (recordings) | ``T#<tenant_id>#REC`` | ``<started_at>#<call_id>`` |
| fraud guard state per extension / tenant (fraud) | ``T#<tenant_id>#FRAUD`` | ``EXT#<n>``, ``TENANT`` |
| tenant event, newest first (events) | ``T#<tenant_id>#EVENT`` | ``<created_at>#<event_id>`` |
| live state of a tenant's calls, and its event counter (live) | ``T#<tenant_id>#LIVE`` | ``CALL#<call_id>``, ``SEQ`` |
| live call event by sequence number, TTL 1 h (live) | ``T#<tenant_id>#LIVEEV`` | ``<seq, 12 digits>`` |
| live call event id guard, idempotency, TTL 1 day (live) | ``T#<tenant_id>#LIVEID`` | ``<event_id>`` |
| WebSocket connection of a tenant user (live) | ``T#<tenant_id>#WS`` | ``<connection_id>`` |
| WebSocket connection -> its tenant (live) | ``WSCONN#<connection_id>`` | ``WSCONN`` |
| one-time WebSocket ticket, SHA-256, TTL 60 s (live) | ``WSTICKET#<sha256>`` | ``WSTICKET`` |
| an edge's health as it reported it with its events (live) | ``EDGEHEALTH`` | ``<edge_id>`` |
| webhook (webhooks) | ``T#<tenant_id>`` | ``WH#<id>`` |
| webhook delivery, newest first, 30 days (webhooks) | ``T#<tenant_id>#WHDLV`` | ``<wh_id>#<at>#<seq>#<id>`` |
| powertools idempotency records of CDR ingest (cdrs) | ``IDEMPOTENCY#cdr`` | ``<function>#<hash>`` |
| tenant job, survives the tenant, TTL 30 days (tenant_jobs) | ``JOBS#<tenant_id>`` | ``<job_id>`` |
| contact (contacts) | ``T#<tenant_id>#CONTACT`` | ``<contact_id>`` |
| a contact's number: O(1) lookup, one contact per number (contacts) | ``T#<tenant_id>#CNUM#<number>`` | ``CNUM`` |
| name index, given name first, 2-letter shards (contacts) | ``T#<tenant_id>#CNAME#<xx>`` | ``<name key>#<id>`` |
| a contact's calls, newest first (contacts) | ``T#<tenant_id>#CCALL#<contact_id>`` | ``<started_at>#<call_id>`` |
| a contact's tickets (tickets) | ``T#<tenant_id>#CTICKET#<contact_id>`` | ``<ticket_id>`` |
| national do-not-call list entry (contacts) | ``T#<tenant_id>#DNC`` | ``<number>`` |
| contact import (contacts) | ``T#<tenant_id>#CIMPORT`` | ``<import_id>`` |
| a contact number's route for the edges: owner, VIP (contact_routes) | ``T#<tenant_id>#CROUTE`` | ``<number>`` |
| a route change, oldest first, TTL 1 day (contact_routes) | ``T#<tenant_id>#CRLOG`` | ``<at µs, 16 digits>#<rnd>`` |
| when edges re-read all routes (a large import) (contact_routes) | ``T#<tenant_id>`` | ``CROUTESRESET`` |
| contact settings, custom field (contacts, custom_fields) | ``T#<tenant_id>`` | ``CSETTINGS``, ``CFIELD#<key>`` |
| ticket settings, counter, saved view (tickets) | ``T#<tenant_id>`` | ``TSETTINGS``, ``TCOUNTER``, ``TVIEW#<id>`` |
| ticket, newest first (ids grow) (tickets) | ``T#<tenant_id>#TICKET`` | ``<ticket_id>`` |
| call note (wrap-up: disposition, notes), by call id (call_notes) | ``T#<tenant_id>#CALLNOTE`` | ``<call_id>`` |
| the tenant's disposition codes (call_notes) | ``T#<tenant_id>`` | ``DISPOSITIONS`` |
| ticket comment, oldest first (tickets) | ``T#<tenant_id>#TCOMMENT#<ticket_id>`` | ``<created_at>#<comment_id>`` |
| call-center queue; an agent's status (queues, agents) | ``T#<tenant_id>`` | ``QUEUE#<id>``, ``AGENT#<extension>`` |
| the tenant's pause reasons (agents) | ``T#<tenant_id>`` | ``PAUSEREASONS`` |
| queue event, oldest first, TTL 400 days (queue_events) | ``T#<tenant_id>#QEV`` | ``<at µs, 16 digits>#<hash>`` |
| the same event under its queue (queue_events) | ``T#<tenant_id>#QEVQ#<queue_id>`` | ``<at µs, 16 digits>#<hash>`` |
| a command for the edges, e.g. click-to-call, TTL 1 day (commands) | ``CMD#<command_id>`` | ``CMD`` |
| an edge's inbox of commands, TTL 1 day (commands) | ``EDGECMD#<edge_id>`` | ``<command_id>`` |
| an advertising call's once-a-day guard, TTL 2 days (commands) | ``ADONCE#<tenant>|<person>|<day>`` | ``ADONCE`` |
"""

from __future__ import annotations

TENANT_SK = "META"
REGISTRY_PK = "TENANTS"
EDGE_REGISTRY_PK = "EDGES"
PROVIDER_PK = "PROVIDER"
PLAN_PK = "PLAN"
VERSION_PK, VERSION_SK = "META", "VERSION"
SEEDED_SK = "PLANS_SEEDED"
IDEMPOTENCY_PK = "IDEMPOTENCY#cdr"
ISSUED_TOKENS_PK = "TOKENS"
EDGE_SK = "META"
EDGE_HEALTH_PK = "EDGEHEALTH"


# --- a tenant's partition ----------------------------------------------------------------------
# Sort-key prefixes of the items in it (a domain lists its items by its prefix).
EXT_PREFIX = "EXT#"
BR_PREFIX = "BR#"
DEV_PREFIX = "DEV#"
TRUNK_PREFIX = "TRUNK#"
NUM_PREFIX = "NUM#"
ASSIGNED_PREFIX = "ASSIGNED#"
BLK_PREFIX = "BLK#"
FWBAN_PREFIX = "FWBAN#"
FRAUD_HOLD_PREFIX = "FRAUDHOLD#"
FRAUD_SETTINGS_SK = "FRAUDCFG"
FRAUD_TENANT_SK = "TENANT"
USER_PREFIX = "USER#"
KEY_PREFIX = "KEY#"
WEBHOOK_PREFIX = "WH#"
CFIELD_PREFIX = "CFIELD#"
TVIEW_PREFIX = "TVIEW#"
CONTACT_SETTINGS_SK = "CSETTINGS"
CONTACT_ROUTES_RESET_SK = "CROUTESRESET"
TICKET_SETTINGS_SK = "TSETTINGS"
DISPOSITIONS_SK = "DISPOSITIONS"
TICKET_COUNTER_SK = "TCOUNTER"
QUEUE_PREFIX = "QUEUE#"
AGENT_PREFIX = "AGENT#"
PAUSE_REASONS_SK = "PAUSEREASONS"


def tenant_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def scope_pk(tenant_id: str | None) -> str:
    """Partition of users and API keys: a tenant's, or the provider's."""
    return tenant_pk(tenant_id) if tenant_id else PROVIDER_PK


def ext_sk(number: str) -> str:
    return EXT_PREFIX + number


def branch_sk(branch_id: str) -> str:
    return BR_PREFIX + branch_id


def device_sk(device_id: str) -> str:
    return DEV_PREFIX + device_id


def trunk_sk(trunk_id: str) -> str:
    return TRUNK_PREFIX + trunk_id


def number_sk(number: str) -> str:
    return NUM_PREFIX + number


def assigned_sk(number: str) -> str:
    return ASSIGNED_PREFIX + number


def block_sk(rule_id: str) -> str:
    return BLK_PREFIX + rule_id


def fwban_sk(ban_id: str) -> str:
    return FWBAN_PREFIX + ban_id


def user_sk(user_id: str) -> str:
    return USER_PREFIX + user_id


def key_sk(key_id: str) -> str:
    return KEY_PREFIX + key_id


def webhook_sk(webhook_id: str) -> str:
    return WEBHOOK_PREFIX + webhook_id


def queue_sk(queue_id: str) -> str:
    return QUEUE_PREFIX + queue_id


def agent_sk(extension: str) -> str:
    return AGENT_PREFIX + extension


# --- a tenant's other partitions ------------------------------------------------------------------
def cdr_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CDR"


def cdr_id_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CDRID"


def rec_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#REC"


def fraud_hold_sk(number: str) -> str:
    return FRAUD_HOLD_PREFIX + number


def fraud_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#FRAUD"


def event_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#EVENT"


def contact_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CONTACT"


def contact_number(tenant_id: str, number: str) -> tuple[str, str]:
    """The item that says which contact of the tenant has ``number`` (national form)."""
    return f"T#{tenant_id}#CNUM#{number}", "CNUM"


def contact_name_pk(tenant_id: str, shard: str) -> str:
    return f"T#{tenant_id}#CNAME#{shard}"


def contact_calls_pk(tenant_id: str, contact_id: str) -> str:
    return f"T#{tenant_id}#CCALL#{contact_id}"


def contact_tickets_pk(tenant_id: str, contact_id: str) -> str:
    return f"T#{tenant_id}#CTICKET#{contact_id}"


def dnc_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#DNC"


def contact_import_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CIMPORT"


def contact_route_pk(tenant_id: str) -> str:
    """A contact number's route for the edges (sk: the number)."""
    return f"T#{tenant_id}#CROUTE"


def contact_route_log_pk(tenant_id: str) -> str:
    """The log of route changes (sk: ``contact_route_log_sk``)."""
    return f"T#{tenant_id}#CRLOG"


def contact_route_log_sk(at_us: int, suffix: str) -> str:
    """Time first (16 digits of epoch microseconds): a Query reads the changes in order."""
    return f"{at_us:016d}#{suffix}"


def ticket_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#TICKET"


def call_note_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CALLNOTE"


def ticket_comment_pk(tenant_id: str, ticket_id: str) -> str:
    return f"T#{tenant_id}#TCOMMENT#{ticket_id}"


def cfield_sk(key: str) -> str:
    return CFIELD_PREFIX + key


def tview_sk(view_id: str) -> str:
    return TVIEW_PREFIX + view_id


def live_pk(tenant_id: str) -> str:
    """A tenant's live calls (``CALL#<call_id>``) and its event counter (``SEQ``)."""
    return f"T#{tenant_id}#LIVE"


def live_event_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#LIVEEV"


def live_id_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#LIVEID"


def ws_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#WS"


def webhook_delivery_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#WHDLV"


def live_pks(tenant_id: str) -> tuple[str, ...]:
    """Every partition of a tenant's live calls, connections and webhook deliveries
    (offboarding deletes them)."""
    return (
        live_pk(tenant_id),
        live_event_pk(tenant_id),
        live_id_pk(tenant_id),
        ws_pk(tenant_id),
        webhook_delivery_pk(tenant_id),
    )


def queue_event_pk(tenant_id: str) -> str:
    """A tenant's queue events, every queue and agent: a time range is one Query."""
    return f"T#{tenant_id}#QEV"


def queue_events_of_pk(tenant_id: str, queue_id: str) -> str:
    """One queue's events (a copy of its caller and agent events that name the queue)."""
    return f"T#{tenant_id}#QEVQ#{queue_id}"


def queue_event_sk(at_us: int, key_hash: str) -> str:
    """Time order (epoch microseconds, 16 digits until the year 2286), then the event's key."""
    return f"{at_us:016d}#{key_hash}"


def jobs_pk(tenant_id: str) -> str:
    return f"JOBS#{tenant_id}"


def rate_pk(scope: str) -> str:
    return f"RATE#{scope}"


def cdr_sk(started_at: str, call_id: str) -> str:
    """Sort key of a CDR and of its recording: by start time, then call id."""
    return f"{started_at}#{call_id}"


# --- items found by a name or a hash (pk, sk) ------------------------------------------------------
def domain_claim(domain: str) -> tuple[str, str]:
    return f"DOMAIN#{domain}", "DOMAIN"


def did_claim(number: str) -> tuple[str, str]:
    return f"DID#{number}", "DID"


def email_claim(email: str) -> tuple[str, str]:
    return f"EMAIL#{email}", "EMAIL"


def api_key_ref(key_hash: str) -> tuple[str, str]:
    return f"APIKEY#{key_hash}", "APIKEY"


def device_token(token_hash: str) -> tuple[str, str]:
    return f"DEVTOK#{token_hash}", "DEVTOK"


def provisioning_token(token_hash: str) -> tuple[str, str]:
    return f"PROV#{token_hash}", "PROV"


def session(sid: str) -> tuple[str, str]:
    return f"SESSION#{sid}", "SESSION"


def login_throttle(key: str) -> tuple[str, str]:
    return f"THROTTLE#{key}", "LOGIN"


def ws_connection(connection_id: str) -> tuple[str, str]:
    return f"WSCONN#{connection_id}", "WSCONN"


def ws_ticket(ticket_hash: str) -> tuple[str, str]:
    return f"WSTICKET#{ticket_hash}", "WSTICKET"


def edge(edge_id: str) -> tuple[str, str]:
    return f"EDGE#{edge_id}", EDGE_SK


def command(command_id: str) -> tuple[str, str]:
    return f"CMD#{command_id}", "CMD"


def edge_inbox_pk(edge_id: str) -> str:
    return f"EDGECMD#{edge_id}"


def advertising_once(key: str) -> tuple[str, str]:
    """An advertising call's once-a-day guard: ``<tenant>|<person>|<day>``."""
    return f"ADONCE#{key}", "ADONCE"
