"""Defaults of the configuration, in one place: the API's schemas, the stored items, the
edge snapshot and the tenant archives all take their defaults from here."""

from __future__ import annotations

from typing import Final

SIP_PORT: Final = 5060
TRANSPORT: Final = "udp"  # udp | tcp | tls
TRUNK_AUTH: Final = "ip"  # ip | register
TRUNK_CHANNELS: Final = 30
CODECS: Final[tuple[str, ...]] = ("PCMA", "PCMU")
OUTBOUND: Final = "national"  # internal_only | national (S4 policy still applies)
TIME_ZONE: Final = "Asia/Ho_Chi_Minh"
RECORDING_RETENTION_DAYS: Final = 365
RECORDING_ON_FULL: Final = "delete_oldest"  # delete_oldest | stop_recording
PASSWORD_ROTATION_MONTHS: Final = 12  # S3: SIP passwords are rotated every 12 months
PLAN: Final = "PBX-10"  # a new tenant's plan when none is given
# A queue's "message" overflow (issue 16): the longest message a caller may leave, seconds
QUEUE_MESSAGE_MAX_S: Final = 120
