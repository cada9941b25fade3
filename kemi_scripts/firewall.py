"""The edge's firewall (issue 14, S2/S4): bans, holds, scores, scanners, floods, countries.

Decisions are pbx_core.firewall's and pbx_core.countries'; this module keeps the counters
in Kamailio's shared hash tables (every process of the node sees them) and applies the
verdicts. Tables (infra/kamailio/kamailio.cfg.tmpl, "firewall" block):

  fwban     banned sources (key: the address) and held accounts (key: ``h:<tenant>/<ext>@<net>``),
            value ``pbx_core.firewall.Ban``, each item expiring with its ban; replicated to
            the other edge nodes with DMQ
  fwstrike  how many times a key was banned this week (the ban ladder); replicated
  fwlearn   learned networks (key: the network) and accounts (``<tenant>/<ext>@<net>``),
            from successful authentications, 30 days; replicated
  fwscore   points of sources (``s:<ip>``) and failures of accounts (``a:<acct>@<net>``),
            forgotten after 10 minutes without a bad event; per node

Per request (out of a worker's path): one look at ``fwban`` (a banned source is dropped:
no answer, nothing else read), pike (a flood is banned at once), and for initial requests
the User-Agent (a scanner is banned at once). Authentications read the account's hold,
and a success marks its network learned once a day. Everything else happens on bad events
only. Sources in ``PROBOX_FIREWALL_TRUSTED`` and carrier trunks' addresses are never banned
(what they did is logged).

Security events (bans, holds, refusals from abroad) are JSON log lines (``security_*``)
and, with ``PROBOX_SECURITY_SPOOL``, JSON lines in ``<spool>/<pid>.jsonl`` that the edge
agent posts to the control plane.

Environment:
  PROBOX_FIREWALL_TRUSTED   addresses/CIDRs never banned (monitoring, the provider's own)
  PROBOX_FIREWALL_POLICY    thresholds, ``name=value,...`` (pbx_core.firewall.Policy fields)
  PROBOX_COUNTRY_FILE       the country file (edge_node.country_db); unset: no country check
  PROBOX_SECURITY_SPOOL     folder for security events
  PROBOX_FIREWALL_FLOOD     pike's requests a second (rendered into the cfg; for the evidence)
  PROBOX_FIREWALL_OFF       1: the firewall does nothing (benchmarks of its cost; emergencies)
  PROBOX_BLOCKLISTS         block list files (APIBAN / CrowdSec plain: an address or CIDR a
                            line), comma-separated: listed sources are banned at once
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable
from typing import Any

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts.common import Req, log
from pbx_core import countries, firewall
from pbx_core.firewall import Networks, Policy
from pbx_core.snapshot import Snapshot

BAN_TABLE = "fwban"
STRIKE_TABLE = "fwstrike"
LEARN_TABLE = "fwlearn"
SCORE_TABLE = "fwscore"

PIKE_RED = (-1, -2)  # pike_check_req(): -2 just turned red, -1 still red
PIKE_NEW_RED = -2
LEARNED_MEMO = 100_000  # account@network entries a process remembers (then starts again)


def policy_from_env(text: str | None) -> Policy:
    fields = {f.name for f in dataclasses.fields(Policy)}
    values: dict[str, int] = {}
    for part in (text or "").split(","):
        name, _, value = part.partition("=")
        if name.strip() in fields and value.strip().isdigit():
            values[name.strip()] = int(value)
    return dataclasses.replace(firewall.DEFAULT_POLICY, **values)


class CountryCache:
    """The country file of one process, re-read when it changed (checked once a minute)."""

    def __init__(self, path: str | None, *, clock: Callable[[], float] = time.monotonic, interval: float = 60.0):
        self.path, self.clock, self.interval = path, clock, interval
        self.data: countries.CountryFile | None = None
        self._key: tuple[int, int, int] | None = None
        self._next = float("-inf")

    def get(self) -> countries.CountryFile | None:
        if self.path and self.clock() >= self._next:
            self._next = self.clock() + self.interval
            try:
                st = os.stat(self.path)
                key = (st.st_ino, st.st_mtime_ns, st.st_size)
                if key != self._key:
                    with open(self.path, encoding="utf-8") as f:
                        data = countries.CountryFile.load(f.read())
                    if len(data.home) == 0:
                        raise ValueError("no home-country range in the file")
                    self.data, self._key = data, key
                    log("info", "country_file_loaded", path=self.path, ranges=len(data.home), source=data.source)
            except (OSError, ValueError) as exc:
                log("error", "country_file_invalid", path=self.path, error=str(exc)[:200], kept=self.data is not None)
        return self.data


class BlocklistCache:
    """Imported reputation lists (APIBAN / CrowdSec plain format: an address or CIDR a
    line), from the files of ``PROBOX_BLOCKLISTS``; re-read when one changed (checked once
    a minute). Sources on them are banned at their first request (reason ``blocklist``)."""

    def __init__(self, paths: list[str], *, clock: Callable[[], float] = time.monotonic, interval: float = 60.0):
        self.paths, self.clock, self.interval = paths, clock, interval
        self.networks = Networks()
        self._key: tuple[tuple[int, int, int], ...] | None = None
        self._next = float("-inf")

    def get(self) -> Networks:
        if self.paths and self.clock() >= self._next:
            self._next = self.clock() + self.interval
            try:
                stats = [os.stat(p) for p in self.paths]
                key = tuple((st.st_ino, st.st_mtime_ns, st.st_size) for st in stats)
                if key != self._key:
                    specs: list[str] = []
                    for p in self.paths:
                        with open(p, encoding="utf-8", errors="replace") as f:
                            specs += firewall.parse_blocklist(f.read())
                    self.networks, self._key = Networks.of(specs), key
                    log("info", "blocklists_loaded", files=len(self.paths), networks=len(self.networks))
            except OSError as exc:
                log("error", "blocklists_invalid", error=str(exc)[:200], kept=len(self.networks))
        return self.networks


class Firewall:
    """One process's view of the firewall (the tables are shared by the node's processes)."""

    def __init__(
        self,
        *,
        policy: Policy = firewall.DEFAULT_POLICY,
        trusted: Networks | None = None,
        countries_file: CountryCache | None = None,
        spool: str | None = None,
        flood_per_second: int = 0,
        enabled: bool = True,
        blocklists: BlocklistCache | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.blocklists = blocklists if blocklists is not None else BlocklistCache([])
        self.enabled = enabled  # PROBOX_FIREWALL_OFF=1: nothing screened, scored or learned
        self.policy = policy
        self.flood_per_second = flood_per_second  # pike's limit (the cfg's), for the evidence
        self.trusted = trusted if trusted is not None else Networks()
        self.countries = countries_file if countries_file is not None else CountryCache(None)
        self.spool = spool
        self.wall = wall
        # account@network -> the day this process last found it learned (nothing ever
        # unlearns a network before its expiry, so a same-day hit needs no table read)
        self._learned_today: dict[str, str] = {}
        # carrier trunks' addresses and DMQ peers: never banned (set by the router)
        self.is_exempt: Callable[[Req], bool] = lambda req: False

    @classmethod
    def from_env(cls) -> Firewall:
        return cls(
            policy=policy_from_env(os.environ.get("PROBOX_FIREWALL_POLICY")),
            trusted=Networks.of(os.environ.get("PROBOX_FIREWALL_TRUSTED", "").replace(" ", ",").split(",")),
            countries_file=CountryCache(os.environ.get("PROBOX_COUNTRY_FILE") or None),
            spool=os.environ.get("PROBOX_SECURITY_SPOOL") or None,
            flood_per_second=_int(os.environ.get("PROBOX_FIREWALL_FLOOD")),
            enabled=os.environ.get("PROBOX_FIREWALL_OFF", "") not in ("1", "yes", "true"),
            blocklists=BlocklistCache([p for p in os.environ.get("PROBOX_BLOCKLISTS", "").split(",") if p]),
        )

    # -- every request that is not a worker's ------------------------------------------------

    def screen(self, req: Req, initial: bool) -> bool:
        """True when the request was dropped: a banned source, a flood, a scanner."""
        if not self.enabled:
            return False
        if KSR.htable.sht_get(BAN_TABLE, req.si) is not None:
            req.done = True  # no answer at all: the cheapest refusal
            return True
        rc = KSR.pike.pike_check_req()
        if rc in PIKE_RED and (rc == PIKE_NEW_RED or not self._never(req)):
            # (a trusted source over the limit is logged once, when pike marks it)
            if self.ban(req, firewall.REASON_FLOOD, f"more than {self.flood_per_second} requests a second"):
                req.done = True
                return True
        if initial:
            listed = self.blocklists.get()
            if len(listed) and req.si in listed and self.ban(req, firewall.REASON_BLOCKLIST, "an imported list"):
                req.done = True
                return True
            agent = req.ua
            tool = firewall.scanner(agent)
            if tool and self.ban(req, firewall.REASON_SCANNER, f"User-Agent {agent[:80]!r}"):
                req.done = True
                return True
        return False

    # -- authentication ---------------------------------------------------------------------

    def _never(self, req: Req) -> bool:
        return req.si in self.trusted or self.is_exempt(req)

    def held(self, req: Req, account: str) -> bool:
        """Is this account held from the request's network (refused without a check)?"""
        return self.enabled and KSR.htable.sht_get(BAN_TABLE, hold_key(account, req.si)) is not None

    def learned(self, req: Req, account: str) -> None:
        """A successful authentication: the network is learned for the account (written
        once a day, so that the DMQ replication costs nothing per request)."""
        if not self.enabled:
            return
        net = firewall.network_of(req.si)
        key = f"{account}@{net}"
        today = str(int(self.wall()) // 86400)
        if self._learned_today.get(key) == today:
            return  # this process saw it in the table today: no shared-table read (bench 8)
        if KSR.htable.sht_get(LEARN_TABLE, key) != today:
            expire = self.policy.learned_days * 86400
            KSR.htable.sht_setxs(LEARN_TABLE, key, today, expire)
            KSR.htable.sht_setxs(LEARN_TABLE, net, today, expire)
        if len(self._learned_today) >= LEARNED_MEMO:
            self._learned_today.clear()
        self._learned_today[key] = today

    def is_learned(self, ip: str) -> bool:
        return KSR.htable.sht_get(LEARN_TABLE, firewall.network_of(ip)) is not None

    def where(self, ip: str) -> str:
        """home | abroad | local (no country file: local, the check is off)."""
        data = self.countries.get() if self.enabled else None
        return data.where(ip) if data is not None else countries.WHERE_LOCAL

    # -- bad events -------------------------------------------------------------------------

    def bad(self, req: Req, reason: str, *, account: str = "", tenant_id: str = "", detail: str = "") -> None:
        """Count a bad event of the request's source (and account): ban or hold when the
        policy says so."""
        if not self.enabled or req.si in self.trusted:
            return
        learned = self.is_learned(req.si)
        points = _inc(f"s:{req.si}")
        failures = _inc(f"a:{account}@{firewall.network_of(req.si)}") if learned and account else 0
        verdict = firewall.judge(self.policy, reason, learned, points, failures)
        evidence = f"{points} bad requests in 10 min, last: {detail or reason}"
        if verdict.action == "ban":
            self.ban(req, reason, evidence, tenant_id=tenant_id, account=account, learned=learned)
        elif verdict.action == "hold":
            self.hold(req, account, tenant_id, f"{failures} wrong passwords in 10 min from {req.si}")

    def abroad(self, req: Req, account: str, tenant_id: str) -> None:
        """An account's right password from outside Vietnam (S4): refused, scored, and an
        event (once per account and address in 10 minutes): a leaked password, or a phone
        travelling that the provider may allow."""
        if _inc(f"x:{account}@{req.si}") == 1:
            text = firewall.explain(firewall.REASON_ABROAD, req.si)
            self.event(
                req, "abroad", None, subject=account, tenant_id=tenant_id, account=account, reason="abroad", text=text
            )
        self.bad(req, firewall.REASON_ABROAD, account=account, tenant_id=tenant_id, detail=f"{account} from abroad")

    def ban(
        self, req: Req, reason: str, evidence: str, *, tenant_id: str = "", account: str = "", learned: bool = False
    ) -> bool:
        """Ban the request's source (False for a trusted source or a carrier's)."""
        if self._never(req):
            req.log("warn", "security_not_banned", reason=reason, evidence=evidence, why="trusted source")
            return False
        ban = self._put(req.si, reason, evidence)
        KSR.htable.sht_rm(SCORE_TABLE, f"s:{req.si}")
        net = firewall.network_of(req.si)
        self.event(req, "ban", ban, subject=req.si, tenant_id=tenant_id, account=account, network=net, learned=learned)
        return True

    def hold(self, req: Req, account: str, tenant_id: str, evidence: str) -> None:
        """Hold an account from one network: a stale password behind an office's NAT stops
        there, the other phones of that address go on."""
        net = firewall.network_of(req.si)
        ban = self._put(hold_key(account, req.si), firewall.REASON_AUTH, evidence)
        KSR.htable.sht_rm(SCORE_TABLE, f"a:{account}@{net}")
        self.event(req, "hold", ban, subject=account, tenant_id=tenant_id, account=account, network=net)

    def _put(self, key: str, reason: str, evidence: str) -> firewall.Ban:
        strike = _int(KSR.htable.sht_get(STRIKE_TABLE, key)) + 1
        KSR.htable.sht_setxs(STRIKE_TABLE, key, str(strike), firewall.STRIKE_MEMORY)
        seconds = firewall.ban_seconds(strike)
        ban = firewall.Ban(reason, strike, int(self.wall()) + seconds, evidence)
        KSR.htable.sht_setxs(BAN_TABLE, key, ban.encode(), seconds)
        return ban

    def event(self, req: Req, kind: str, ban: firewall.Ban | None, **fields: Any) -> None:
        """A security event: a JSON log line, and a line in the spool for the control plane."""
        record: dict[str, Any] = {
            "kind": kind,
            "source": req.si,
            "at": int(self.wall()),
            "call_id": req.call_id,
            "method": req.method,
            **{k: v for k, v in fields.items() if v},
        }
        if ban is not None:
            record.update(
                reason=ban.reason,
                strike=ban.strike,
                until=ban.until,
                evidence=ban.evidence,
                text=firewall.explain(ban.reason, ban.evidence),
            )
        log("warn", f"security_{kind}", **record)
        if self.spool:
            try:
                os.makedirs(self.spool, exist_ok=True)
                with open(os.path.join(self.spool, f"{os.getpid()}.jsonl"), "a", encoding="utf-8") as f:
                    f.write(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
            except OSError as exc:
                log("error", "security_spool_failed", error=str(exc)[:200])


def apply_lifts(snap: Snapshot, applied: set[tuple[str, int]]) -> int:
    """rtimer: remove the bans and holds tenant admins lifted (the snapshot's
    ``lifted_bans``), with their strikes; a ban made after the lift stays. ``applied``
    remembers what this process did. Returns how many were removed."""
    n = 0
    for tenant in snap.tenants.values():
        for key, at in tenant.lifted_bans:
            if (key, at) in applied or not _liftable_key(key, tenant.id):
                continue
            applied.add((key, at))
            ban = firewall.parse_ban(KSR.htable.sht_get(BAN_TABLE, key))
            if ban is not None and ban.until - firewall.ban_seconds(ban.strike) > at:
                continue  # banned again after the lift
            KSR.htable.sht_rm(BAN_TABLE, key)
            KSR.htable.sht_rm(STRIKE_TABLE, key)
            KSR.htable.sht_rm(SCORE_TABLE, f"s:{key}")
            log("info", "security_lifted", tenant_id=tenant.id, key=key, at=at, was_banned=ban is not None)
            n += 1
    return n


def _liftable_key(key: str, tenant_id: str) -> bool:
    """A tenant lifts an address, or a hold of one of its own accounts only."""
    if key.startswith("h:"):
        return key[2:].startswith(tenant_id + "/")
    return firewall.address_int(key) is not None


def hold_key(account: str, ip: str) -> str:
    return f"h:{account}@{firewall.network_of(ip)}"


def _inc(key: str) -> int:
    """Add one to a score (Kamailio's sht_inc does not create a missing item)."""
    n = _int(KSR.htable.sht_inc(SCORE_TABLE, key))
    if n <= 0:
        KSR.htable.sht_seti(SCORE_TABLE, key, 1)
        n = 1
    return n


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return 0
