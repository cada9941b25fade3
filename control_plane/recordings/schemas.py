"""Response models of recordings."""

from __future__ import annotations

from control_plane.core.schemas import OnFull, Out, QuotaLevel


class RecordingUsageOut(Out):
    usage_bytes: int
    quota_bytes: int
    usage_pct: float
    level: QuotaLevel
    on_full: OnFull
    recording_active: bool  # what the edges do now: false while full under stop_recording


class RecordingUsage(RecordingUsageOut):
    retention_days: int


class RecordingLinkOut(Out):
    call_id: str
    url: str
    expires_in: int
    expires_at: str
    format: str
    content_type: str
    bytes: int
