"""Request and response models of trunks."""

from __future__ import annotations

from pydantic import Field

from control_plane.core.schemas import Body, Codec, Host, Ipv4, Out, Secret, SipUser, Text, Transport, TrunkAuth
from control_plane.core.schemas import default_codecs as _default_codecs
from pbx_core import defaults


class TrunkCreate(Body):
    name: Text
    host: Host
    port: int = Field(default=defaults.SIP_PORT, ge=1, le=65535)
    transport: Transport = defaults.TRANSPORT
    auth: TrunkAuth = defaults.TRUNK_AUTH
    username: SipUser = ""
    password: Secret | None = None
    ips: list[Ipv4] = Field(default_factory=list, max_length=16)
    channels: int = Field(default=defaults.TRUNK_CHANNELS, ge=1, le=1000)
    codecs: list[Codec] = Field(default_factory=lambda: _default_codecs(), min_length=1, max_length=5)


class TrunkUpdate(Body):
    name: Text | None = None
    host: Host | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    transport: Transport | None = None
    auth: TrunkAuth | None = None
    username: SipUser | None = None
    password: Secret | None = None
    ips: list[Ipv4] | None = Field(default=None, max_length=16)
    channels: int | None = Field(default=None, ge=1, le=1000)
    codecs: list[Codec] | None = Field(default=None, min_length=1, max_length=5)


class TrunkOut(Out):
    id: str
    name: str
    host: str
    port: int
    transport: Transport
    auth: TrunkAuth
    username: str
    has_password: bool
    ips: list[str]
    channels: int
    codecs: list[str]
    number_count: int
    created_at: str
    updated_at: str


class TrunkList(Out):
    items: list[TrunkOut]
    next: str | None
