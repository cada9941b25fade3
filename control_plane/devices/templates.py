"""Configuration files for desk phones (Yealink, Grandstream, Fanvil), one SIP account each.

The phone fetches ``<provisioning URL>/<filename>``; the file name is what each vendor's
firmware asks for by default (derived from the MAC). Values are sanitised: no control
characters (a display name cannot inject a config line), XML-escaped for Grandstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Account:
    user: str
    password: str
    domain: str
    display_name: str
    proxy_host: str
    proxy_port: int
    time_zone: str
    mac: str  # 12 lowercase hex digits


def filename(vendor: str, mac: str) -> str:
    if vendor == "grandstream":
        return f"cfg{mac}.xml"
    return f"{mac}.cfg"  # yealink and fanvil


def content_type(vendor: str) -> str:
    return "application/xml" if vendor == "grandstream" else "text/plain; charset=utf-8"


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", value).strip()


def render(vendor: str, a: Account) -> str:
    d = {k: _clean(str(v)) for k, v in a.__dict__.items()}
    display = d["display_name"] or d["user"]
    if vendor == "yealink":
        return "\n".join(
            [
                "#!version:1.0.0.1",
                "account.1.enable = 1",
                f"account.1.label = {display}",
                f"account.1.display_name = {display}",
                f"account.1.auth_name = {d['user']}",
                f"account.1.user_name = {d['user']}",
                f"account.1.password = {d['password']}",
                f"account.1.sip_server.1.address = {d['domain']}",
                f"account.1.sip_server.1.port = {d['proxy_port']}",
                "account.1.outbound_proxy_enable = 1",
                f"account.1.outbound_proxy.1.address = {d['proxy_host']}",
                f"account.1.outbound_proxy.1.port = {d['proxy_port']}",
                "account.1.sip_server.1.expires = 600",
                f"local_time.time_zone_name = {d['time_zone']}",
                "",
            ]
        )
    if vendor == "grandstream":
        x = {k: escape(v) for k, v in d.items()}
        xdisplay = escape(display)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gs_provision version="1">\n'
            f"  <mac>{x['mac']}</mac>\n"
            '  <config version="1">\n'
            "    <P271>1</P271>\n"
            f"    <P270>{xdisplay}</P270>\n"
            f"    <P47>{x['domain']}</P47>\n"
            f"    <P48>{x['proxy_host']}:{x['proxy_port']}</P48>\n"
            f"    <P35>{x['user']}</P35>\n"
            f"    <P36>{x['user']}</P36>\n"
            f"    <P34>{x['password']}</P34>\n"
            f"    <P3>{xdisplay}</P3>\n"
            "    <P32>10</P32>\n"
            "  </config>\n"
            "</gs_provision>\n"
        )
    if vendor == "fanvil":
        return "\n".join(
            [
                "<<VOIP CONFIG FILE>>Version:2.0002",
                "<SIP CONFIG MODULE>",
                "--SIP Line List--  :",
                f"SIP1 Phone Number       :{d['user']}",
                f"SIP1 Display Name       :{display}",
                f"SIP1 Register Addr      :{d['domain']}",
                f"SIP1 Register Port      :{d['proxy_port']}",
                f"SIP1 Register User      :{d['user']}",
                f"SIP1 Register Pswd      :{d['password']}",
                f"SIP1 Proxy Addr         :{d['proxy_host']}",
                f"SIP1 Proxy Port         :{d['proxy_port']}",
                "SIP1 Enable Reg         :1",
                "<<END OF FILE>>",
                "",
            ]
        )
    raise ValueError(f"unknown vendor {vendor!r}")
