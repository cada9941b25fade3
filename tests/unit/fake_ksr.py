"""A small recording fake of Kamailio's ``KSR`` module for unit tests of the KEMI script.

It models one SIP request (``Message``) and the few sub-APIs the script uses, records
what the script does (replies, relays, header changes, auth challenges...) and returns
scripted results (``FakeKSR.results``). Like Kamailio, removing a header does not hide it
from later reads of ``$hdr(...)`` in the same route (lumps apply when the message is sent).

Install it before importing the script: ``install()`` puts a fake into
``sys.modules["KSR"]``; tests then swap in a fresh fake per test with ``use(module, fake)``
(the entry module and the route modules it imports).
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Message:
    method: str = "INVITE"
    ruri_user: str = "101"
    ruri_domain: str = "tenant-a.test"
    from_user: str = "100"
    from_domain: str = "tenant-a.test"
    to_user: str = "101"
    to_domain: str = "tenant-a.test"
    call_id: str = "call-1@test"
    src_ip: str = "127.0.0.1"
    src_port: int = 5062
    to_tag: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    content_type: str = ""
    user_agent: str = ""

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def raw(self) -> str:
        """The message as received (``$mb``)."""
        ruri = f"sip:{self.ruri_user}@{self.ruri_domain}" if self.ruri_user else f"sip:{self.ruri_domain}"
        lines = [
            f"{self.method} {ruri} SIP/2.0",
            f"From: <sip:{self.from_user}@{self.from_domain}>;tag=f1",
            f"To: <sip:{self.to_user}@{self.to_domain}>" + (f";tag={self.to_tag}" if self.to_tag else ""),
            f"Call-ID: {self.call_id}",
            *(f"{k}: {v}" for k, v in self.headers),
            f"Content-Length: {len(self.body.encode())}",
        ]
        return "\r\n".join(lines) + "\r\n\r\n" + self.body


@dataclass
class Reply:
    code: int
    reason: str
    headers: list[str]

    def header(self, name: str) -> str | None:
        for h in self.headers:
            k, _, v = h.partition(":")
            if k.strip().lower() == name.lower():
                return v.strip()
        return None


class _Sub:
    def __init__(self, ksr: FakeKSR) -> None:
        self.k = ksr


class _PV(_Sub):
    def _value(self, name: str) -> Any:
        m = self.k.msg
        simple = {
            "$rm": m.method,
            "$rU": m.ruri_user or None,
            "$rd": m.ruri_domain,
            "$ru": f"sip:{m.ruri_user}@{m.ruri_domain}" if m.ruri_user else f"sip:{m.ruri_domain}",
            "$fU": m.from_user,
            "$fd": m.from_domain,
            "$tU": m.to_user,
            "$td": m.to_domain,
            "$ci": m.call_id,
            "$si": m.src_ip,
            "$ua": m.user_agent or None,
            "$sp": m.src_port,
            "$du": self.k.dst_uri,
            "$fs": self.k.results.get("fs"),  # the forced socket (lookup, loose_route): "tls:ip:port"...
            "$cl": len(m.body),
            "$cT": m.content_type or None,
            "$T_reply_code": self.k.results.get("reply_code"),
            "$rs": self.k.results.get("reply_status"),
        }
        if name == "$ru" and self.k.ruri is not None:
            return self.k.ruri
        if name == "$mb":
            return m.raw()
        if name in simple:
            return simple[name]
        if name.startswith("$avp("):
            return self.k.avps.get(name)
        if name == "$T_reply_reason":
            return self.k.results.get("reply_reason")
        if name.startswith("$T_rpl($hdr(") and name.endswith("))"):
            return self.k.results.get("reply_headers", {}).get(name[12:-2])
        if name.startswith("$jsonrpl("):
            return self.k.jsonrpl.get(name[9:-1])
        if name.startswith("$hdr(") and name.endswith(")"):
            return m.header(name[5:-1])
        if name.startswith("$var("):
            return self.k.vars.get(name)
        raise KeyError(f"fake KSR.pv does not know {name}")

    def get(self, name: str) -> Any:
        return self._value(name)

    def gete(self, name: str) -> Any:
        v = self._value(name)
        return "" if v is None else v

    def seti(self, name: str, value: int) -> None:
        self.k.vars[name] = value

    def sets(self, name: str, value: str) -> None:
        if name == "$ru":
            self.k.ruri = value
        elif name == "$du":
            self.k.dst_uri = value
        elif name.startswith("$avp("):
            self.k.avps[name] = value
        else:
            self.k.vars[name] = value


class _Hdr(_Sub):
    def remove(self, name: str) -> int:
        self.k.removed_headers.append(name)
        return 1 if self.k.msg.header(name) is not None else -1

    def append(self, text: str) -> int:
        """One or more header lines (one KSR call); recorded one line per header."""
        assert text.endswith("\r\n"), text
        self.k.hdr_appends += 1
        self.k.appended_headers.extend(text[:-2].split("\r\n"))
        return 1

    def append_to_reply(self, text: str) -> int:
        assert text.endswith("\r\n"), text
        self.k.reply_headers.append(text[:-2])
        return 1

    def is_present(self, name: str) -> int:
        return 1 if self.k.msg.header(name) is not None else -1


class _SL(_Sub):
    def send_reply(self, code: int, reason: str) -> int:
        self.k.replies.append(Reply(code, reason, list(self.k.reply_headers)))
        self.k.reply_headers.clear()
        return 1

    def sl_send_reply(self, code: int, reason: str) -> int:
        return self.send_reply(code, reason)

    def sl_reply_error(self) -> int:
        return self.send_reply(500, "Server Internal Error (sl_reply_error)")


class _TM(_Sub):
    def t_relay(self) -> int:
        self.k.relayed.append({"dst": self.k.dst_uri, "ruri_changed": self.k.ruri_lookup})
        return self.k.results.get("t_relay", 1)

    def t_check_trans(self) -> int:
        return self.k.results.get("t_check_trans", -1)

    def t_on_failure(self, name: str) -> int:
        self.k.failure_route = name
        return 1

    def t_on_reply(self, name: str) -> int:
        self.k.reply_route = name
        return 1

    def t_set_fr(self, fr_inv: int, fr: int) -> int:
        return 1

    def t_is_canceled(self) -> int:
        return self.k.results.get("t_is_canceled", -1)

    def t_branch_timeout(self) -> int:
        return self.k.results.get("t_branch_timeout", -1)

    def t_branch_replied(self) -> int:
        return self.k.results.get("t_branch_replied", -1)

    def t_reply(self, code: int, reason: str) -> int:
        return self.k.sl.send_reply(code, reason)


class _TMX(_Sub):
    def t_precheck_trans(self) -> int:
        return self.k.results.get("t_precheck_trans", -1)


class _Auth(_Sub):
    def pv_auth_check(self, realm: str, passwd: str, flags: int, checks: int) -> int:
        self.k.auth_checks.append((realm, passwd, flags, checks))
        rc = self.k.results.get("pv_auth_check", -5)
        if isinstance(rc, BaseException):
            raise rc
        return int(rc)

    def auth_challenge(self, realm: str, flags: int) -> int:
        self.k.challenges.append((realm, flags))
        return 1

    def consume_credentials(self) -> int:
        self.k.consumed = True
        return 1


class _Registrar(_Sub):
    def save_uri(self, table: str, flags: int, uri: str) -> int:
        self.k.saved.append((table, flags, uri))
        return self.k.results.get("save", 1)

    def lookup_uri(self, table: str, uri: str) -> int:
        self.k.lookups.append((table, uri))
        rc = self.k.results.get("lookup", 1)
        if rc > 0:
            self.k.ruri_lookup = True
        return rc


class _Dialog(_Sub):
    def dlg_manage(self) -> int:
        self.k.dlg_managed = True
        return 1

    def set_dlg_profile(self, profile: str, value: str) -> int:
        self.k.profiles.append((profile, value))
        return 1

    def get_profile_size(self, profile: str, value: str, pvname: str) -> int:
        """``results["profile_sizes"]`` per profile name, else ``results["profile_size"]``."""
        sizes = self.k.results.get("profile_sizes", {})
        self.k.vars[pvname] = sizes.get(profile, self.k.results.get("profile_size", 0))
        self.k.profile_queries.append((profile, value))
        return 1

    def dlg_set_property(self, name: str) -> int:
        self.k.dlg_properties.append(name)
        return 1

    def var_sets(self, name: str, value: str) -> int:
        self.k.dlg_vars[name] = value
        return 1

    def dlg_get(self, call_id: str, from_tag: str, to_tag: str) -> int:
        """Dialogs are ``results["dialogs"]``: {(call_id, from_tag, to_tag): {var: value}};
        like Kamailio, either direction of the tags matches."""
        dialogs = self.k.results.get("dialogs", {})
        found = dialogs.get((call_id, from_tag, to_tag)) or dialogs.get((call_id, to_tag, from_tag))
        if found is None:
            return -1
        self.k.dlg_ctx_vars = dict(found)
        return 1

    def var_gete(self, name: str) -> str:
        return str(self.k.dlg_ctx_vars.get(name, ""))


class _Htable(_Sub):
    def sht_setxs(self, table: str, key: str, value: str, expire: int) -> int:
        self.k.htables.setdefault(table, {})[key] = value
        return 1

    def sht_get(self, table: str, key: str) -> Any:
        return self.k.htables.get(table, {}).get(key)

    def sht_rm(self, table: str, key: str) -> int:
        self.k.htables.get(table, {}).pop(key, None)
        return 1

    def sht_inc(self, table: str, key: str) -> int:
        t = self.k.htables.setdefault(table, {})
        if key not in t:
            return -255  # as Kamailio 5.6: a missing item is not created
        t[key] = str(int(t[key]) + 1)
        return int(t[key])

    def sht_seti(self, table: str, key: str, value: int) -> int:
        self.k.htables.setdefault(table, {})[key] = str(value)
        return 1


class _Pike(_Sub):
    def pike_check_req(self) -> int:
        return int(self.k.results.get("pike", 1))


class _Dispatcher(_Sub):
    def ds_is_from_list(self, group: int) -> int:
        if group == 2:
            return 1 if self.k.results.get("from_peer", False) else -1
        return 1 if self.k.results.get("from_worker", False) else -1

    def ds_is_from_list_uri(self, group: int, mode: int, uri: str) -> int:
        self.k.ds_uri_checks.append(uri)
        return 1 if self.k.results.get("next_hop_is_worker", False) else -1

    def ds_select_dst(self, group: int, alg: int) -> int:
        self.k.ds_selects.append((group, alg))
        if self.k.results.get("ds_select", True):
            self.k.dst_uri = "sip:127.0.0.1:5070;transport=udp"
            return 1
        return -1

    def ds_next_dst(self) -> int:
        return self.k.results.get("ds_next_dst", -1)


class _RR(_Sub):
    def record_route(self) -> int:
        self.k.record_routed = True
        return 1

    def loose_route(self) -> int:
        return self.k.results.get("loose_route", -1)


class _UAC(_Sub):
    def uac_replace_from(self, display: str, uri: str) -> int:
        self.k.from_replaced = (display, uri)
        return 1

    def uac_replace_to(self, display: str, uri: str) -> int:
        self.k.to_replaced = (display, uri)
        return 1

    def uac_auth(self) -> int:
        self.k.uac_auth_calls.append((self.k.avps.get("$avp(probox_auser)"), self.k.avps.get("$avp(probox_apass)")))
        return self.k.results.get("uac_auth", 1)


class _Nathelper(_Sub):
    def nat_uac_test(self, flags: int) -> int:
        return 1 if self.k.results.get("nated", False) else -1

    def fix_nated_register(self) -> int:
        self.k.nat_actions.append("fix_nated_register")
        return 1

    def add_contact_alias(self) -> int:
        self.k.nat_actions.append("add_contact_alias")
        return 1

    def handle_ruri_alias(self) -> int:
        self.k.nat_actions.append("handle_ruri_alias")
        return 2


class _Sdpops(_Sub):
    def sdp_with_media(self, media: str) -> int:
        return 1 if f"m={media} " in self.k.msg.body else -1

    def sdp_with_transport(self, transport: str) -> int:
        lines = self.k.msg.body.splitlines()
        return 1 if any(ln.startswith("m=") and ln.split()[2:3] == [transport] for ln in lines) else -1

    def remove_line_by_prefix(self, prefix: str, media: str) -> int:
        self.k.sdp_removed.append(prefix)
        return 1 if any(ln.startswith(prefix) for ln in self.k.msg.body.splitlines()) else -1


class _Dmq(_Sub):
    def is_from_node(self) -> int:
        return 1 if self.k.results.get("dmq_node", False) else -1

    def handle_message(self) -> int:
        self.k.dmq_handled = True
        return 0


class _Jsonrpcs(_Sub):
    def exec(self, cmd: str) -> int:
        self.k.rpc_calls.append(cmd)
        self.k.jsonrpl = {"code": self.k.results.get("rpc_code", 200), "body": "{}"}
        return 1


class _Sanity(_Sub):
    def sanity_check(self, checks: int, uri_checks: int) -> int:
        return 1 if self.k.results.get("sanity", True) else -1


class _Maxfwd(_Sub):
    def process_maxfwd(self, limit: int) -> int:
        return 1 if self.k.results.get("maxfwd", True) else -1


class _Siputils(_Sub):
    def has_totag(self) -> int:
        return 1 if self.k.msg.to_tag else -1


class _Corex(_Sub):
    def has_ruri_user(self) -> int:
        return 1 if self.k.msg.ruri_user else -1


class FakeKSR(types.ModuleType):
    """The fake ``KSR`` module. ``results`` scripts return values, the other attributes
    record what the script did."""

    def __init__(self, msg: Message | None = None, **results: Any) -> None:
        super().__init__("KSR")
        self.msg = msg or Message()
        self.results: dict[str, Any] = dict(results)
        self.vars: dict[str, Any] = {}
        self.dst_uri: str | None = None
        self.logs: list[tuple[str, str]] = []
        self.replies: list[Reply] = []
        self.reply_headers: list[str] = []
        self.removed_headers: list[str] = []
        self.appended_headers: list[str] = []
        self.relayed: list[dict[str, Any]] = []
        self.auth_checks: list[tuple[str, str, int, int]] = []
        self.challenges: list[tuple[str, int]] = []
        self.consumed = False
        self.saved: list[tuple[str, int, str]] = []
        self.lookups: list[tuple[str, str]] = []
        self.ruri_lookup = False
        self.dlg_managed = False
        self.profiles: list[tuple[str, str]] = []
        self.profile_queries: list[tuple[str, str]] = []
        self.ds_selects: list[tuple[int, int]] = []
        self.ds_uri_checks: list[str] = []
        self.record_routed = False
        self.failure_route: str | None = None
        self.reply_route: str | None = None
        self.from_replaced: tuple[str, str] | None = None
        self.to_replaced: tuple[str, str] | None = None
        self.ruri: str | None = None
        self.avps: dict[str, Any] = {}
        self.jsonrpl: dict[str, Any] = {}
        self.rpc_calls: list[str] = []
        self.uac_auth_calls: list[tuple[Any, Any]] = []
        self.nat_actions: list[str] = []
        self.dlg_properties: list[str] = []
        self.bflags: list[int] = []
        self.rport_forced = False
        self.dmq_handled = False
        self.dlg_vars: dict[str, str] = {}
        # variables of the dialog the request is in (``results["dialog_vars"]``), or the
        # one dlg_get() found
        self.dlg_ctx_vars: dict[str, str] = dict(results.get("dialog_vars", {}))
        self.hdr_appends = 0
        self.sdp_removed: list[str] = []  # prefixes of SDP lines removed (sdpops)
        self.htables: dict[str, dict[str, str]] = {}
        self.htable = _Htable(self)
        self.pike = _Pike(self)
        self.pv = _PV(self)
        self.hdr = _Hdr(self)
        self.sl = _SL(self)
        self.tm = _TM(self)
        self.tmx = _TMX(self)
        self.auth = _Auth(self)
        self.registrar = _Registrar(self)
        self.dialog = _Dialog(self)
        self.dispatcher = _Dispatcher(self)
        self.rr = _RR(self)
        self.uac = _UAC(self)
        self.sanity = _Sanity(self)
        self.maxfwd = _Maxfwd(self)
        self.siputils = _Siputils(self)
        self.corex = _Corex(self)
        self.nathelper = _Nathelper(self)
        self.sdpops = _Sdpops(self)
        self.jsonrpcs = _Jsonrpcs(self)
        if results.get("dmq_loaded", True):
            self.dmq = _Dmq(self)

    # core
    def is_myself_duri(self) -> bool:
        return bool(self.results.get("next_hop_is_edge", False))

    def is_myself_ruri(self) -> bool:
        return bool(self.results.get("next_hop_is_edge", False))

    def force_rport(self) -> int:
        self.rport_forced = True
        return 1

    def setbflag(self, flag: int) -> int:
        self.bflags.append(flag)
        return 1

    # logging
    def info(self, text: str) -> None:
        self.logs.append(("info", text))

    def warn(self, text: str) -> None:
        self.logs.append(("warn", text))

    def err(self, text: str) -> None:
        self.logs.append(("error", text))

    def dbg(self, text: str) -> None:
        self.logs.append(("debug", text))

    # helpers for assertions
    @property
    def reply(self) -> Reply | None:
        """The only reply sent (fails if more than one)."""
        assert len(self.replies) <= 1, self.replies
        return self.replies[0] if self.replies else None

    def log_text(self) -> str:
        return "".join(t for _, t in self.logs)


def install(fake: FakeKSR | None = None) -> FakeKSR:
    """Put a fake into ``sys.modules["KSR"]`` (before the script is imported)."""
    fake = fake or FakeKSR()
    sys.modules["KSR"] = fake
    return fake


def use(module: types.ModuleType, fake: FakeKSR) -> FakeKSR:
    """Point an imported script module, and every module of its package that uses ``KSR``
    (the route modules of kemi_scripts), at this fake."""
    package = module.__name__.rpartition(".")[0]
    for name, mod in list(sys.modules.items()):
        if mod is module or (package and name.startswith(package + ".") and hasattr(mod, "KSR")):
            mod.KSR = fake  # type: ignore[attr-defined]
    sys.modules["KSR"] = fake
    return fake


class FixedCache:
    """Stands in for the script's SnapshotCache: always the same snapshot (or None)."""

    def __init__(self, snap: Any) -> None:
        self.snap = snap

    def get(self) -> Any:
        return self.snap
