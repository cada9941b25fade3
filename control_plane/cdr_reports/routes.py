"""HTTP routes of call exports (CSV in the answer, CSV and Excel files with a link)."""

from __future__ import annotations

from chalice.app import Response

from control_plane.cdr_reports import service
from control_plane.cdr_reports.schemas import CdrCsvReportOut, CdrExportLink, CdrExportQuery, CdrReportOut, CdrXlsxQuery
from control_plane.core.api import STAFF, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN

routes = Routes(__name__)
REPORT_ID = {"report_id": ID_PATTERN}
KEPT = f"kept {service.KEPT_DAYS} days"


@routes.route(
    "GET", "/v1/cdrs/export", summary="Export matching calls as CSV (small exports: at most 5 MiB)", tag="cdrs",
    roles=STAFF, query=CdrExportQuery, media="text/csv", errors=(413,),
    description="The CSV in the answer, for exports that fit in one API response (API Gateway and Lambda carry "
    f"at most 6 MB): past {service.DIRECT_MAX_BYTES // 2**20} MiB, about 14,000 calls, it answers 413 "
    "`export_too_large`. `POST /v1/cdrs/export.csv` takes the same query and answers with a download link of "
    "the same bytes, for up to 100,000 calls.",
)  # fmt: skip
def export_cdrs(req: ApiRequest) -> Response:
    tenant_id = req.tenant(*STAFF)
    text = service.export_csv(tenant_id, req.query(CdrExportQuery))
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="calls.csv"',
    }
    return Response(body=text, status_code=200, headers=headers)


@routes.route(
    "POST", "/v1/cdrs/export.xlsx", summary="Export matching calls as an Excel workbook: a 5-minute download link",
    tag="cdrs", roles=STAFF, query=CdrXlsxQuery, status=201, response=CdrReportOut, no_store=True,
    while_suspended=True,
    description="The CSV export's filters and limit (default 10,000, at most 100,000 calls, newest first; "
    "`truncated` when more matched), times in the tenant's time zone, headers in `lang` (en, vi). The workbook "
    f"is {KEPT}: `GET /v1/cdrs/export.xlsx/{{report_id}}` signs a new link. The export "
    "runs in the request (API Gateway allows 29 s): export a large range in slices.",
)  # fmt: skip
def export_cdrs_xlsx(req: ApiRequest) -> CdrExportLink:
    tenant_id = req.tenant(*STAFF)
    return service.create_xlsx(tenant_id, req.query(CdrXlsxQuery))


@routes.route(
    "GET", "/v1/cdrs/export.xlsx/{report_id}", summary=f"A new 5-minute link to an Excel export ({KEPT})",
    tag="cdrs", roles=STAFF, response=CdrReportOut, patterns=REPORT_ID, no_store=True,
)  # fmt: skip
def get_cdr_report(req: ApiRequest, report_id: str) -> CdrExportLink:
    return service.link(req.tenant(*STAFF), report_id)


@routes.route(
    "POST", "/v1/cdrs/export.csv", summary="Export matching calls as CSV to a file: a 5-minute download link",
    tag="cdrs", roles=STAFF, query=CdrExportQuery, status=201, response=CdrCsvReportOut, no_store=True,
    while_suspended=True,
    description="`GET /v1/cdrs/export`'s query and bytes (same columns and order, UTF-8, no BOM) for any size "
    "up to `limit` (default 10,000, at most 100,000 calls, newest first; `truncated` when more matched). The file "
    f"is {KEPT}: `GET /v1/cdrs/export.csv/{{report_id}}` signs a new link. The export "
    "runs in the request (API Gateway allows 29 s): export a large range in slices.",
)  # fmt: skip
def export_cdrs_csv(req: ApiRequest) -> CdrExportLink:
    tenant_id = req.tenant(*STAFF)
    return service.create_csv(tenant_id, req.query(CdrExportQuery))


@routes.route(
    "GET", "/v1/cdrs/export.csv/{report_id}", summary=f"A new 5-minute link to a CSV export ({KEPT})",
    tag="cdrs", roles=STAFF, response=CdrCsvReportOut, patterns=REPORT_ID, no_store=True,
)  # fmt: skip
def get_cdr_csv_report(req: ApiRequest, report_id: str) -> CdrExportLink:
    return service.link(req.tenant(*STAFF), report_id, service.CSV)
