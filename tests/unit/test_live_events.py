"""pbx_core.events (the edge's call event schema) and pbx_core.webhooksig (webhook signatures):
round trips, refusals with field names, and agreement with the API's documented models."""

from __future__ import annotations

import json

import pytest

from control_plane.live.schemas import CallEventIn, EventBatchIn
from pbx_core import events as ev
from pbx_core import webhooksig
from pbx_core.errors import ValidationError

pytestmark = pytest.mark.unit

T = "2025-11-03T08:00:00.000Z"


def sample(kind: str = ev.ANSWERED, **extra: object) -> ev.CallEvent:
    q = ev.Quality(
        packets_lost=12, jitter_ms=7.5, rtt_ms=88.0, mos=ev.mos_estimate(rtt_ms=88, jitter_ms=7.5, loss_pct=1)
    )
    legs = (
        ev.Leg("a", "0901234567", "1900123456", "inbound", "tr_0123456789ab", q),
        ev.Leg("b", "0901234567", "101", "internal", "", ev.Quality(one_way_audio=True)),
    )
    fields: dict[str, object] = {"answered_at": T}
    fields.update(extra)
    return ev.CallEvent(
        id="01JBX3Q8W2V9K4M6N7P8R9S0T1", kind=kind, tenant_id="t_0123456789abcdef", call_id="abc@10.0.0.1",
        edge_id="edge-1", occurred_at=T, started_at=T, legs=legs, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def test_round_trip_and_what_the_api_documents() -> None:
    e = sample()
    doc = e.to_dict()
    assert ev.from_dict(json.loads(json.dumps(doc))) == e
    assert doc["legs"][0]["from"] == "0901234567" and doc["schema"] == ev.SCHEMA
    # the OpenAPI models of POST /edge/v1/events accept exactly what the edge writes
    CallEventIn.model_validate(doc)
    batch = ev.EventBatch((e, sample(ev.ENDED, ended_at=T, disposition="answered")), ev.EdgeHealth(3, "1.0", 9, T))
    EventBatchIn.model_validate(batch.to_dict())
    assert ev.batch_from_dict(json.loads(json.dumps(batch.to_dict()))) == batch
    assert e.parties() == frozenset({"0901234567", "1900123456", "101"})
    assert e.one_way_audio() and e.state == "talking"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "call.exploded"}, "kind"),
        ({"id": "short"}, "id"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2025-11-03T15:00:00+07:00"}, "occurred_at"),  # UTC only
        ({"legs": []}, "legs"),
        ({"tenant_id": ""}, "tenant_id"),
        ({"call_id": "x" * 513}, "call_id"),
        ({"surprise": 1}, "surprise"),
        ({"legs": [{"id": "a", "from": "101", "to": "102\r\nX: y"}]}, "legs.0.to"),
        ({"legs": [{"id": "a", "from": "101", "to": "102", "quality": {"mos": 7}}]}, "legs.0.quality.mos"),
        (
            {"legs": [{"id": "a", "from": "1", "to": "2", "quality": {"jitter_ms": float("nan")}}]},
            "legs.0.quality.jitter_ms",
        ),
        ({"legs": [{"id": "a", "from": "1", "to": "2", "direction": "sideways"}]}, "legs.0.direction"),
        ({"kind": "call.ended"}, "ended_at"),
        ({"kind": "call.transferred"}, "target"),
        ({"kind": "call.picked_up"}, "by"),
        ({"kind": "recording.ready", "ended_at": T}, "recording_key"),
        ({"recording_bytes": -1}, "recording_bytes"),
    ],
)
def test_refusals_name_the_field(change: dict[str, object], field: str) -> None:
    doc = {**sample().to_dict(), **change}
    with pytest.raises(ValidationError) as info:
        ev.from_dict(doc)
    assert field in info.value.fields, info.value.fields


def test_batches_are_bounded_and_name_the_event() -> None:
    good = sample().to_dict()
    with pytest.raises(ValidationError) as info:
        ev.batch_from_dict({"events": [good, {**good, "kind": "nope"}]})
    assert list(info.value.fields) == ["events.1.kind"]
    with pytest.raises(ValidationError):
        ev.batch_from_dict({"events": [good] * (ev.MAX_BATCH + 1)})
    with pytest.raises(ValidationError):
        ev.batch_from_dict({"events": [], "edge": {"calls_now": -1}})
    assert ev.batch_from_dict({"events": []}) == ev.EventBatch(())


def test_mos_estimate_orders_calls_by_quality() -> None:
    clean = ev.mos_estimate(rtt_ms=20, jitter_ms=2, loss_pct=0)
    lossy = ev.mos_estimate(rtt_ms=20, jitter_ms=2, loss_pct=5)
    far = ev.mos_estimate(rtt_ms=600, jitter_ms=40, loss_pct=0)
    assert 4.3 <= clean <= 4.5 and lossy < clean and far < clean
    assert ev.mos_estimate(rtt_ms=2000, jitter_ms=500, loss_pct=60) == 1.0


def test_signatures() -> None:
    body = b'{"id":"e1"}'
    header = webhooksig.header("whsec_x", 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=")
    assert webhooksig.verify("whsec_x", header, body, now=1_700_000_100) == 1_700_000_000
    # a receiver may get two signatures while it changes secrets: any one matching is enough
    both = header + ",v1=" + "0" * 64
    assert webhooksig.verify("whsec_x", both, body, now=1_700_000_000)
    for bad in ("", "t=1,v1=zz", "v1=" + "a" * 64, header.replace("t=17", "t=18")):
        with pytest.raises(webhooksig.SignatureError):
            webhooksig.verify("whsec_x", bad, body, now=1_700_000_000)
    with pytest.raises(webhooksig.SignatureError, match="tolerance"):
        webhooksig.verify("whsec_x", header, body, now=1_700_000_000 + 301)
    guard = webhooksig.ReplayGuard(tolerance_s=300)
    assert guard.accept("e1", now=0) and not guard.accept("e1", now=10)
    assert guard.accept("e1", now=1000)  # long after the window its timestamp fails anyway
