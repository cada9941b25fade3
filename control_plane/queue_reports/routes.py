"""HTTP routes of queue and agent reports (Excel files with a link)."""

from __future__ import annotations

from control_plane.core.api import STAFF, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.queue_reports import service
from control_plane.queue_reports.schemas import MAX_DAYS, QueueReportOut, QueueReportQuery

routes = Routes(__name__)
KEPT = f"kept {service.KEPT_DAYS} days"


@routes.route(
    "POST", "/v1/queues/report.xlsx",
    summary="Queue and agent report of a period as an Excel workbook: a 5-minute download link", tag="queues",
    roles=STAFF, query=QueueReportQuery, status=201, response=QueueReportOut, no_store=True, errors=(413,),
    while_suspended=True,
    description="Sheets: a summary (per queue: entered, answered, abandoned with short ones apart, timeouts, "
    "refused, callbacks, both service levels, ASA, average talk, abandon rate; per agent: answered, talk, pause, "
    "personal calls), one row per interval and queue with a chart of offered vs answered and the service level, "
    "and the agents. `from`/`to`: ISO 8601, without an offset in the tenant's time zone, at most "
    f"{MAX_DAYS} days (400 past it); `interval` 15m, 30m, 1h or 1d (local days); `lang` en or vi; `queue_id` "
    f"one queue of the tenant (404 otherwise). At most {service.MAX_INTERVAL_ROWS:,} interval rows (intervals "
    "times queues, plus an all-queues block): 400 on `interval` past it. "
    f"Past {service.MAX_EVENTS:,} queue events: 413 `export_too_large`. "
    f"The workbook is {KEPT}: `GET /v1/queues/report.xlsx/{{report_id}}` signs a new link.",
)  # fmt: skip
def create_queue_report(req: ApiRequest) -> QueueReportOut:
    tenant_id = req.tenant(*STAFF)
    return service.create_xlsx(tenant_id, req.query(QueueReportQuery))


@routes.route(
    "GET", "/v1/queues/report.xlsx/{report_id}", summary=f"A new 5-minute link to a queue report ({KEPT})",
    tag="queues", roles=STAFF, response=QueueReportOut, patterns={"report_id": ID_PATTERN}, no_store=True,
)  # fmt: skip
def get_queue_report(req: ApiRequest, report_id: str) -> QueueReportOut:
    return service.link(req.tenant(*STAFF), report_id)
