"""REGISTER from phones, and the digest authentication phones' INVITEs use too.

Phones authenticate with digest against the snapshot's HA1 of their extension (realm = the
tenant's domain; 401 for REGISTER, 407 otherwise): no auth_db, ``pv_auth_check`` with the
HA1 and the auth user checked against the From/To user. Wrong credentials get 403
``bad_credentials`` (no new challenge); missing or stale ones get a (stale) challenge.

The AoR is saved as ``<extension>@<tenant domain>`` (usrloc with use_domain: the tenant is
the domain part). A REGISTER from behind a NAT stores its source address
(fix_nated_register, "received") and its contact gets the NAT branch flag, so that
nathelper pings it.
"""

from __future__ import annotations

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts.common import NAT_TEST, Req, SnapshotSource, get_snapshot, reject
from pbx_core import routing

NAT_BFLAG = 6  # branch flag of a contact behind NAT (usrloc nat_bflag: nathelper pings it)

# pv_auth_check() results that mean "the credentials are wrong" (not just missing/stale).
AUTH_WRONG_PASSWORD = -2
AUTH_USER_MISMATCH = -8
AUTH_NONCE_STALE = (-4, -6)
AUTH_CHALLENGE_QOP = 1
AUTH_CHALLENGE_STALE = 16


def authenticate(req: Req, challenge: routing.Challenge) -> bool:
    """Digest auth (401 for REGISTER, 407 otherwise) against the snapshot's HA1."""
    rc = KSR.auth.pv_auth_check(challenge.realm, challenge.extension.ha1, 1, 1)
    if rc > 0:
        KSR.auth.consume_credentials()
        return True
    if rc in (AUTH_WRONG_PASSWORD, AUTH_USER_MISMATCH):
        reject(req, routing.BAD_CREDENTIALS, "auth_failed", auth_rc=rc, user=challenge.extension.number)
        return False
    flags = AUTH_CHALLENGE_QOP | (AUTH_CHALLENGE_STALE if rc in AUTH_NONCE_STALE else 0)
    KSR.auth.auth_challenge(challenge.realm, flags)
    req.done = True
    return False


def route_register(req: Req, cache: SnapshotSource) -> None:
    """An initial REGISTER (never from a worker's trusted path: phones only)."""
    snap = get_snapshot(req, cache)
    if snap is None:
        return
    decision = routing.register(snap, KSR.pv.gete("$td"), KSR.pv.gete("$tU"))
    if isinstance(decision, routing.Reject):
        reject(req, decision, "register_rejected", aor=f"{KSR.pv.gete('$tU')}@{KSR.pv.gete('$td')}")
        return
    req.tenant_id = decision.tenant.id
    if not authenticate(req, decision):
        return
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
