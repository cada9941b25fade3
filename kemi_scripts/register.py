"""REGISTER from phones, and the digest authentication phones' INVITEs use too.

Phones authenticate with digest against the snapshot's HA1 of their extension (realm = the
tenant's domain; 401 for REGISTER, 407 otherwise): no auth_db, ``pv_auth_check`` with the
HA1 and the auth user checked against the From/To user. Missing or stale credentials get
a (stale) challenge; wrong ones get 403 (no new challenge).

Nothing to enumerate (issue 14): an unknown domain or user, or a suspended tenant, is a
``routing.Decoy``: challenged exactly like a real account (same realm rule, same nonce
handling, against an HA1 nobody knows), then refused with the same ``403 Forbidden`` as a
wrong password, without a reason header. The reason goes to the log and to the firewall
(``kemi_scripts.firewall``): unknown users and domains and wrong passwords are bad events
of the source (and of the account, from a learned network); an account held from a
network is refused without a check; a phone outside Vietnam is refused after its
credentials (S4), unless the provider allowed its network for the tenant.

The AoR is saved as ``<extension>@<tenant domain>`` (usrloc with use_domain: the tenant is
the domain part). A REGISTER from behind a NAT stores its source address
(fix_nated_register, "received") and its contact gets the NAT branch flag, so that
nathelper pings it.
"""

from __future__ import annotations

import functools
import secrets

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts.common import NAT_TEST, Req, SnapshotSource, get_snapshot, reject
from kemi_scripts.firewall import Firewall
from pbx_core import countries, firewall, routing
from pbx_core.firewall import Networks

NAT_BFLAG = 6  # branch flag of a contact behind NAT (usrloc nat_bflag: nathelper pings it)

# pv_auth_check() results that mean "the credentials are wrong" (not just missing/stale).
AUTH_OK = 1
AUTH_WRONG_PASSWORD = -2
AUTH_USER_MISMATCH = -8
AUTH_NONCE_STALE = (-4, -6)
AUTH_CHALLENGE_QOP = 1
AUTH_CHALLENGE_STALE = 16
REFUSED = routing.BAD_CREDENTIALS  # the one final answer of every refused authentication


@functools.cache
def decoy_ha1() -> str:
    """The HA1 a decoy is checked against: random per process, so no password matches."""
    return secrets.token_hex(16)


@functools.lru_cache(maxsize=256)
def _networks(specs: tuple[str, ...]) -> Networks:
    return Networks.of(specs)


def authenticate(req: Req, decision: routing.Challenge | routing.Decoy, fw: Firewall) -> bool:
    """Digest auth (401 for REGISTER, 407 otherwise) against the snapshot's HA1; True when
    the phone may go on (``req.authenticated``), else it was answered."""
    if isinstance(decision, routing.Decoy):
        realm, ha1, account, tenant = decision.realm, decoy_ha1(), "", None
        user = decision.user
    else:
        realm, ha1, tenant = decision.realm, decision.extension.ha1, decision.tenant
        user = decision.extension.number
        account = f"{tenant.id}/{user}"
    rc = KSR.auth.pv_auth_check(realm, ha1, 1, 1)
    if rc != AUTH_OK and rc not in (AUTH_WRONG_PASSWORD, AUTH_USER_MISMATCH):
        flags = AUTH_CHALLENGE_QOP | (AUTH_CHALLENGE_STALE if rc in AUTH_NONCE_STALE else 0)
        KSR.auth.auth_challenge(realm, flags)
        req.done = True
        if isinstance(decision, routing.Decoy):
            req.log("info", "decoy_challenged", why=decision.slug, user=user, realm=realm)
            if decision.slug != routing.TENANT_SUSPENDED.slug:
                fw.bad(req, firewall.REASON_PROBING, tenant_id=decision.tenant_id, detail=f"{decision.slug} {user!r}")
        return False
    if isinstance(decision, routing.Decoy):
        reject(req, REFUSED, "auth_refused", why=decision.slug, user=user, realm=realm)
        if decision.slug != routing.TENANT_SUSPENDED.slug:
            fw.bad(req, firewall.REASON_PROBING, tenant_id=decision.tenant_id, detail=f"{decision.slug} {user!r}")
        return False
    assert tenant is not None
    req.tenant_id = tenant.id
    if fw.held(req, account):
        reject(req, REFUSED, "auth_refused", why="account_held", user=user)
        return False
    if rc != AUTH_OK:
        reject(req, REFUSED, "auth_failed", why="bad_credentials", auth_rc=rc, user=user)
        fw.bad(req, firewall.REASON_AUTH, account=account, tenant_id=tenant.id, detail=f"wrong password for {user}")
        return False
    where = fw.where(req.si)
    if where == countries.WHERE_ABROAD and req.si not in _networks(tenant.abroad_networks):
        reject(req, REFUSED, "auth_refused", why="abroad", user=user)
        fw.abroad(req, account, tenant.id)
        return False
    KSR.auth.consume_credentials()
    req.authenticated = True
    fw.learned(req, account)
    return True


def route_register(req: Req, cache: SnapshotSource, fw: Firewall) -> None:
    """An initial REGISTER (never from a worker's trusted path: phones only)."""
    snap = get_snapshot(req, cache)
    if snap is None:
        return
    decision = routing.register(snap, KSR.pv.gete("$td"), KSR.pv.gete("$tU"))
    if not authenticate(req, decision, fw):
        return
    assert isinstance(decision, routing.Challenge)
    nated = KSR.nathelper.nat_uac_test(NAT_TEST) > 0
    if nated:
        KSR.nathelper.fix_nated_register()  # usrloc keeps the source as "received"
        KSR.setbflag(NAT_BFLAG)
    req.done = True
    if KSR.registrar.save_uri("location", 0, "sip:" + decision.aor) < 0:
        req.log("error", "register_save_failed", aor=decision.aor)
        KSR.sl.sl_reply_error()
        return
    req.log("info", "registered", aor=decision.aor, expires=KSR.pv.gete("$hdr(Expires)"), nat=nated or None)
