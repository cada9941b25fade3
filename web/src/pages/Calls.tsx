// F8 call search, F7 playback in the page, F9 Excel export of the same filter.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { Badge, type Column, DataTable, ErrorNotice, Field, type FieldSpec, Loading, Notice, Pager } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";
import { navigate } from "../router";

type Cdr = Schemas["CdrLocalOut"];
type LegQuality = Schemas["CdrQualityOut"];
const FILTERS = ["from", "to", "number", "extension", "direction", "disposition"] as const;
type FilterName = (typeof FILTERS)[number];
type Filter = Partial<Record<FilterName, string>>;
const DIRECTIONS = ["internal", "inbound", "outbound"] as const;
const DISPOSITIONS = ["answered", "busy", "no_answer", "unavailable", "rejected", "cancelled", "failed"] as const;
const PAGE_SIZE = 25;

function filterOf(q: URLSearchParams): Filter {
  const f: Filter = {};
  for (const k of FILTERS) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** The API's query of a filter (datetime-local values have no offset: the tenant's local time). */
function query(f: Filter): {
  from?: string;
  to?: string;
  number?: string;
  extension?: string;
  direction?: (typeof DIRECTIONS)[number];
  disposition?: (typeof DISPOSITIONS)[number];
} {
  const dir = DIRECTIONS.find((d) => d === f.direction);
  const disp = DISPOSITIONS.find((d) => d === f.disposition);
  return {
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.number ? { number: f.number.replace(/[\s.()-]/g, "") } : {}),
    ...(f.extension ? { extension: f.extension } : {}),
    ...(dir ? { direction: dir } : {}),
    ...(disp ? { disposition: disp } : {}),
  };
}

function FilterForm(props: { filter: Filter; onSearch: (f: Filter) => void }): JSX.Element {
  const { t } = useI18n();
  const [values, setValues] = useState<Filter>(props.filter);
  const any = (k: "calls.any_direction" | "calls.any_disposition"): { value: string; label: string } => ({
    value: "",
    label: t(k),
  });
  const fields: FieldSpec[] = [
    { name: "from", label: "calls.from", type: "datetime-local", hint: "calls.local_time" },
    { name: "to", label: "calls.to", type: "datetime-local" },
    { name: "number", label: "calls.number", type: "tel", inputMode: "tel", pattern: "\\+?[0-9 .\\(\\)\\-]{2,20}" },
    { name: "extension", label: "calls.extension", inputMode: "numeric", pattern: "[1-9][0-9]{1,5}" },
    {
      name: "direction",
      label: "calls.direction",
      type: "select",
      options: [any("calls.any_direction"), ...DIRECTIONS.map((d) => ({ value: d, label: codeLabel(t, "direction", d) }))],
    },
    {
      name: "disposition",
      label: "calls.disposition",
      type: "select",
      options: [any("calls.any_disposition"), ...DISPOSITIONS.map((d) => ({ value: d, label: codeLabel(t, "disposition", d) }))],
    },
  ];
  return (
    <form
      class="panel filters"
      role="search"
      aria-label={t("calls.search")}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(values);
      }}
    >
      <div class="fields">
        {fields.map((f) => (
          <Field
            key={f.name}
            spec={f}
            value={values[f.name as FilterName] ?? ""}
            onChange={(v) => setValues((old) => ({ ...old, [f.name]: String(v) }))}
          />
        ))}
      </div>
      <div class="actions">
        <button type="submit" class="primary">
          {t("calls.search")}
        </button>
        <button
          type="button"
          onClick={() => {
            setValues({});
            props.onSearch({});
          }}
        >
          {t("calls.clear")}
        </button>
      </div>
    </form>
  );
}

function Player(props: { cdr: Cdr; link: Schemas["RecordingLinkOut"]; onClose: () => void }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  return (
    <section class="panel player" aria-labelledby="player-title">
      <h2 id="player-title">
        {t("calls.recording_of", { caller: props.cdr.caller, callee: props.cdr.callee })}
      </h2>
      <p>
        {fmt.dateTime(props.cdr.started_at)} · {fmt.bytes(props.link.bytes)}
      </p>
      <audio
        controls
        preload="metadata"
        src={props.link.url}
        data-call-id={props.cdr.call_id}
        aria-label={t("calls.recording_of", { caller: props.cdr.caller, callee: props.cdr.callee })}
      >
        {t("calls.no_audio")}
      </audio>
      <p>
        <button type="button" onClick={props.onClose}>
          {t("common.close")}
        </button>
      </p>
    </section>
  );
}

/** B3: each leg's audio quality at its hang-up (MOS, jitter, round trip, packets lost); a leg
 * that got no audio from its phone is flagged. */
function Quality(props: { cdr: Cdr }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const legs = props.cdr.quality ?? [];
  if (!legs.length) return <span class="muted">{t("calls.no_quality")}</span>;
  const line = (q: LegQuality): string =>
    [
      q.mos != null ? `${t("live.mos")} ${fmt.num(q.mos, 1)}` : "",
      `${t("live.jitter")} ${fmt.num(q.jitter_ms ?? 0, 1)} ms`,
      q.rtt_ms != null ? `${t("live.rtt")} ${fmt.num(q.rtt_ms)} ms` : "",
      `${t("live.lost")} ${fmt.num(q.packets_lost ?? 0)}`,
    ]
      .filter(Boolean)
      .join(" · ");
  return (
    <ul class="quality">
      {legs.map((q) => (
        <li key={q.leg} data-leg={q.leg} data-mos={q.mos ?? ""}>
          <span class="muted">{q.party || q.leg}:</span> {line(q)}
          {q.one_way_audio ? (
            <>
              {" "}
              <Badge kind="error">{t("live.one_way")}</Badge>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Export(props: { filter: Filter }): JSX.Element {
  const { t, lang } = useI18n();
  const { fmt } = useApp();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Schemas["CdrReportOut"] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(
        await call(api.POST("/v1/cdrs/export.xlsx", { params: { query: { ...query(props.filter), lang } } })),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="export">
      <button type="button" onClick={run} disabled={busy}>
        {busy ? t("calls.exporting") : t("calls.export")}
      </button>
      <ErrorNotice error={error} />
      {report ? (
        <Notice kind="ok">
          {t("calls.export_ready", { n: fmt.num(report.rows) })}{" "}
          <a href={report.url} download={report.filename} class="download">
            {t("calls.download", { name: report.filename })}
          </a>
          {report.truncated ? <> {t("calls.truncated")}</> : null}
        </Notice>
      ) : null}
    </div>
  );
}

export function Calls(): JSX.Element {
  const { t } = useI18n();
  const { fmt, route, can, session } = useApp();
  const filter = filterOf(route.query);
  const key = JSON.stringify(filter);
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({ key, stack: [] });
  const stack = cursors.key === key ? cursors.stack : [];
  const cursor = stack[stack.length - 1];
  const page = useLoad(
    () => call(api.GET("/v1/cdrs", { params: { query: { ...query(filter), limit: PAGE_SIZE, cursor } } })),
    [key, cursor],
  );
  const [playing, setPlaying] = useState<{ cdr: Cdr; link: Schemas["RecordingLinkOut"] } | null>(null);
  const [playError, setPlayError] = useState<ApiError | null>(null);

  const play = async (cdr: Cdr): Promise<void> => {
    setPlayError(null);
    try {
      const link = await call(
        api.GET("/v1/cdrs/{call_id}/recording", { params: { path: { call_id: cdr.call_id } } }),
      );
      setPlaying({ cdr, link });
    } catch (e) {
      setPlayError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    }
  };

  const columns: Column<Cdr>[] = [
    { key: "time", label: "calls.time", cell: (c) => <time dateTime={c.started_at}>{fmt.dateTime(c.started_at)}</time> },
    { key: "caller", label: "calls.caller", cell: (c) => c.caller },
    { key: "callee", label: "calls.callee", cell: (c) => c.callee },
    { key: "direction", label: "calls.direction", cell: (c) => codeLabel(t, "direction", c.direction) },
    { key: "disposition", label: "calls.disposition", cell: (c) => codeLabel(t, "disposition", c.disposition) },
    { key: "duration", label: "calls.duration", numeric: true, cell: (c) => fmt.duration(c.duration_s) },
    { key: "quality", label: "calls.quality", cell: (c) => <Quality cdr={c} /> },
    {
      key: "recording",
      label: "calls.recording",
      cell: (c) =>
        c.recording_key ? (
          <button type="button" aria-label={`${t("calls.play")} ${c.caller} → ${c.callee}`} onClick={() => play(c)}>
            {t("calls.play")}
          </button>
        ) : c.recording_deleted ? (
          codeLabel(t, "recording_deleted", c.recording_deleted)
        ) : (
          t("calls.no_recording")
        ),
    },
  ];
  const items = page.data?.items ?? [];
  return (
    <>
      {session.role === "agent" ? <Notice kind="info">{t("calls.agent_scope")}</Notice> : null}
      <FilterForm key={key} filter={filter} onSearch={(f) => navigate("/calls", f)} />
      {can("POST /v1/cdrs/export.xlsx") ? <Export filter={filter} /> : null}
      <ErrorNotice error={playError} />
      {playing ? <Player cdr={playing.cdr} link={playing.link} onClose={() => setPlaying(null)} /> : null}
      <ErrorNotice error={page.error} />
      {page.loading && !page.data ? (
        <Loading />
      ) : (
        <div class="results" aria-busy={page.loading ? "true" : "false"}>
          <p class="count" role="status">
            {t("calls.page_info", { page: fmt.num(stack.length + 1), n: fmt.num(items.length) })}
          </p>
          <DataTable
            caption={t("calls.results")}
            columns={columns}
            rows={items}
            rowKey={(c) => c.call_id}
            empty="calls.none"
          />
          <Pager label={t("calls.paging")} stack={stack} next={page.data?.next} onMove={(s) => setCursors({ key, stack: s })} />
        </div>
      )}
    </>
  );
}
