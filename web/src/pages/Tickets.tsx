// F12 tickets: a list with filters and saved views, a new ticket, a ticket with its SLA timers,
// callback task, calls (with recordings) and comments (@mentions).
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ErrorNotice, Field, Loading, Notice, type Option, Pager } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";
import { href, navigate } from "../router";
import { SlaText, TextArea, TicketTable, asError, usePeople, type Ticket } from "./desk";

const STATUSES = ["new", "open", "pending", "solved", "closed"] as const;
const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
const OPEN = "new,open,pending";
const PAGE_SIZE = 25;
type Status = (typeof STATUSES)[number];
type Priority = (typeof PRIORITIES)[number];

function statusOf(v: string | null): Status | undefined {
  return STATUSES.find((s) => s === v);
}

function priorityOf(v: string | null): Priority | undefined {
  return PRIORITIES.find((s) => s === v);
}

export function Tickets(): JSX.Element {
  const { route } = useApp();
  const sub = route.path.split("/")[2] ?? "";
  if (sub === "new") return <NewTicket contactId={route.query.get("contact_id") ?? ""} />;
  if (sub) return <TicketRecord id={sub} />;
  return <TicketList />;
}

const FILTERS = ["q", "status", "priority", "assignee", "team", "view"] as const;
type Filter = Partial<Record<(typeof FILTERS)[number], string>>;

function TicketList(): JSX.Element {
  const { t, lang } = useI18n();
  const { route, can, session, fmt } = useApp();
  const filter: Filter = {};
  for (const k of FILTERS) {
    const v = route.query.get(k);
    if (v) filter[k] = v;
  }
  const key = JSON.stringify(filter);
  const [values, setValues] = useState<Filter>(filter);
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({ key, stack: [] });
  const stack = cursors.key === key ? cursors.stack : [];
  const cursor = stack[stack.length - 1];
  const views = useLoad(() => call(api.GET("/v1/ticket-views")), []);
  const priority = priorityOf(filter.priority ?? null);
  const page = useLoad(
    () =>
      call(
        api.GET("/v1/tickets", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(filter.q ? { q: filter.q } : {}),
              ...(filter.status ? { status: filter.status } : {}),
              ...(priority ? { priority } : {}),
              ...(filter.assignee ? { assignee: filter.assignee } : {}),
              ...(filter.team ? { team: filter.team } : {}),
              ...(filter.view ? { view: filter.view } : {}),
            },
          },
        }),
      ),
    [key, cursor],
  );
  const [viewName, setViewName] = useState("");
  const [viewShared, setViewShared] = useState(false);
  const [viewMsg, setViewMsg] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<Schemas["TicketExportLink"] | null>(null);
  const set = (name: keyof Filter) => (v: string | boolean) => setValues((o) => ({ ...o, [name]: String(v) }));
  const statusOptions: Option[] = [
    { value: "", label: t("ticket.any_status") },
    { value: OPEN, label: t("ticket.open_ones") },
    ...STATUSES.map((s) => ({ value: s, label: codeLabel(t, "status", s) })),
  ];
  const viewOptions: Option[] = [
    { value: "", label: t("ticket.no_view") },
    ...(views.data?.items ?? []).map((v) => ({ value: v.id, label: v.name })),
  ];
  const saveView = async (): Promise<void> => {
    setError(null);
    setViewMsg("");
    const status = (values.status ?? "").split(",").map(statusOf).filter((s): s is Status => s !== undefined);
    const p = priorityOf(values.priority ?? null);
    const assignee = values.assignee ?? "";
    try {
      const v = await call(
        api.POST("/v1/ticket-views", {
          body: {
            name: viewName.trim(),
            shared: viewShared,
            filters: {
              q: (values.q ?? "").trim(),
              status,
              ...(p ? { priority: p } : {}),
              assignee,
              team: (values.team ?? "").trim(),
            },
          },
        }),
      );
      setViewMsg(t("ticket.view_saved", { name: v.name }));
      setViewName("");
      views.reload();
    } catch (e) {
      setError(asError(e));
    }
  };
  const deleteView = async (): Promise<void> => {
    if (!filter.view) return;
    setError(null);
    try {
      await call(api.DELETE("/v1/ticket-views/{view_id}", { params: { path: { view_id: filter.view } } }));
      views.reload();
      navigate("/tickets", {});
    } catch (e) {
      setError(asError(e));
    }
  };
  const exportXlsx = async (): Promise<void> => {
    setError(null);
    setReport(null);
    try {
      const query = {
        lang,
        ...(filter.q ? { q: filter.q } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(priority ? { priority } : {}),
        ...(filter.assignee ? { assignee: filter.assignee } : {}),
        ...(filter.team ? { team: filter.team } : {}),
      };
      setReport(await call(api.POST("/v1/tickets/export", { params: { query } })));
    } catch (e) {
      setError(asError(e));
    }
  };
  return (
    <>
      <form
        class="panel filters"
        role="search"
        aria-label={t("ticket.search")}
        onSubmit={(e) => {
          e.preventDefault();
          navigate("/tickets", { ...values });
        }}
      >
        <div class="fields">
          <Field spec={{ name: "view", label: "ticket.view", type: "select", options: viewOptions }} value={values.view ?? ""} onChange={set("view")} />
          <Field spec={{ name: "q", label: "ticket.q" }} value={values.q ?? ""} onChange={set("q")} />
          <Field spec={{ name: "status", label: "ticket.status", type: "select", options: statusOptions }} value={values.status ?? ""} onChange={set("status")} />
          <Field
            spec={{
              name: "priority",
              label: "ticket.priority",
              type: "select",
              options: [{ value: "", label: t("ticket.any_priority") }, ...PRIORITIES.map((p) => ({ value: p, label: codeLabel(t, "priority", p) }))],
            }}
            value={values.priority ?? ""}
            onChange={set("priority")}
          />
          <Field
            spec={{
              name: "assignee",
              label: "ticket.assignee",
              type: "select",
              options: [
                { value: "", label: t("ticket.anyone") },
                { value: "me", label: t("ticket.me") },
                { value: "none", label: t("ticket.unassigned") },
              ],
            }}
            value={values.assignee ?? ""}
            onChange={set("assignee")}
          />
          <Field spec={{ name: "team", label: "ticket.team" }} value={values.team ?? ""} onChange={set("team")} />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t("ticket.search")}
          </button>
          {filter.view ? (
            <button type="button" class="danger" onClick={deleteView}>
              {t("ticket.delete_view")}
            </button>
          ) : null}
        </div>
        <div class="fields">
          <Field spec={{ name: "view_name", label: "ticket.view_name" }} value={viewName} onChange={(v) => setViewName(String(v))} />
          {session.role !== "agent" ? (
            <Field spec={{ name: "view_shared", label: "ticket.view_shared", type: "checkbox" }} value={viewShared} onChange={(v) => setViewShared(v === true)} />
          ) : null}
        </div>
        <div class="actions">
          <button type="button" disabled={!viewName.trim()} onClick={saveView}>
            {t("ticket.save_view")}
          </button>
        </div>
        {viewMsg ? <Notice kind="ok">{viewMsg}</Notice> : null}
      </form>
      <div class="toolbar">
        {can("POST /v1/tickets") ? (
          <a class="button" href={href("/tickets/new")}>
            {t("ticket.new")}
          </a>
        ) : null}
        {can("POST /v1/tickets/export") ? (
          <button type="button" onClick={exportXlsx}>
            {t("ticket.export")}
          </button>
        ) : null}
      </div>
      <ErrorNotice error={error ?? views.error} />
      {report ? (
        <Notice kind="ok">
          {t("ticket.export_ready", { n: fmt.num(report.rows) })}{" "}
          <a href={report.url} download={report.filename} class="download">
            {t("contact.download", { name: report.filename })}
          </a>
        </Notice>
      ) : null}
      <ErrorNotice error={page.error} />
      {page.loading && !page.data ? (
        <Loading />
      ) : (
        <div class="results" aria-busy={page.loading ? "true" : "false"}>
          <TicketTable tickets={page.data?.items ?? []} caption={t("ticket.results")} />
          <Pager label={t("ticket.paging")} stack={stack} next={page.data?.next} onMove={(s) => setCursors({ key, stack: s })} />
        </div>
      )}
    </>
  );
}

export function NewTicket(props: { contactId: string; onCreated?: (t: Ticket) => void }): JSX.Element {
  const { t } = useI18n();
  const people = usePeople();
  const [values, setValues] = useState<Record<string, string | boolean>>({ priority: "normal", status: "new", assignee: "", team: "" });
  const [description, setDescription] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (v: string | boolean) => setValues((o) => ({ ...o, [name]: v }));
  const s = (n: string): string => String(values[n] ?? "").trim();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const out = await call(
        api.POST("/v1/tickets", {
          body: {
            subject: s("subject"),
            description,
            priority: priorityOf(s("priority")) ?? "normal",
            status: statusOf(s("status")) ?? "new",
            assignee: s("assignee"),
            team: s("team"),
            contact_id: props.contactId,
          },
        }),
      );
      if (props.onCreated) props.onCreated(out);
      else navigate(`/tickets/${out.id}`);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {props.onCreated ? null : (
        <p>
          <a href={href("/tickets")}>{t("ticket.back")}</a>
        </p>
      )}
      <section class="panel" aria-labelledby="new-ticket">
        <h2 id="new-ticket">{t("ticket.new")}</h2>
        <form onSubmit={submit}>
          <div class="fields">
            <Field spec={{ name: "subject", label: "ticket.subject", required: true }} value={values["subject"] ?? ""} error={error?.fields["subject"]} onChange={set("subject")} />
            <Field
              spec={{ name: "priority", label: "ticket.priority", type: "select", options: PRIORITIES.map((p) => ({ value: p, label: codeLabel(t, "priority", p) })) }}
              value={values["priority"] ?? "normal"}
              onChange={set("priority")}
            />
            <Field
              spec={{ name: "status", label: "ticket.status", type: "select", options: STATUSES.map((p) => ({ value: p, label: codeLabel(t, "status", p) })) }}
              value={values["status"] ?? "new"}
              onChange={set("status")}
            />
            <Field
              spec={{ name: "assignee", label: "ticket.assignee", type: "select", options: [{ value: "", label: t("ticket.unassigned") }, ...people.options] }}
              value={values["assignee"] ?? ""}
              error={error?.fields["assignee"]}
              onChange={set("assignee")}
            />
            <Field spec={{ name: "team", label: "ticket.team" }} value={values["team"] ?? ""} error={error?.fields["team"]} onChange={set("team")} />
            <TextArea label={t("ticket.description")} name="description" value={description} error={error?.fields["description"]} onChange={setDescription} />
          </div>
          <ErrorNotice error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t("ticket.new")}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}

function TicketRecord(props: { id: string }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const people = usePeople();
  const ticket = useLoad(() => call(api.GET("/v1/tickets/{ticket_id}", { params: { path: { ticket_id: props.id } } })), [props.id]);
  const comments = useLoad(() => call(api.GET("/v1/tickets/{ticket_id}/comments", { params: { path: { ticket_id: props.id } } })), [props.id]);
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [playing, setPlaying] = useState<{ id: string; url: string } | null>(null);
  const x = ticket.data;
  if (!x) return ticket.error ? <ErrorNotice error={ticket.error} /> : <Loading />;
  const v = values ?? { status: x.status, priority: x.priority, assignee: x.assignee, team: x.team };
  const set = (name: string) => (val: string | boolean) => setValues({ ...v, [name]: String(val) });
  const patch = async (changes: Record<string, unknown>): Promise<void> => {
    setError(null);
    setSaved(false);
    try {
      await call(api.PATCH("/v1/tickets/{ticket_id}", { params: { path: { ticket_id: x.id } }, body: changes }));
      setSaved(true);
      setValues(null);
      ticket.reload();
    } catch (e) {
      setError(asError(e));
    }
  };
  const post = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      await call(api.POST("/v1/tickets/{ticket_id}/comments", { params: { path: { ticket_id: x.id } }, body: { body, internal } }));
      setBody("");
      setInternal(false);
      comments.reload();
      ticket.reload();
    } catch (err) {
      setError(asError(err));
    }
  };
  const play = async (callId: string): Promise<void> => {
    try {
      const link = await call(api.GET("/v1/cdrs/{call_id}/recording", { params: { path: { call_id: callId } } }));
      setPlaying({ id: callId, url: link.url });
    } catch (e) {
      setError(asError(e));
    }
  };
  const assignees: Option[] = [{ value: "", label: t("ticket.unassigned") }, ...people.options];
  if (x.assignee && !assignees.some((o) => o.value === x.assignee)) assignees.push({ value: x.assignee, label: x.assignee });
  const sla = x.sla;
  return (
    <>
      <p>
        <a href={href("/tickets")}>{t("ticket.back")}</a>
      </p>
      <div class="desk-grid">
        <div>
          <section class="panel" aria-labelledby="ticket-title">
            <h2 id="ticket-title">
              #{x.number} {x.subject}
            </h2>
            <dl class="facts-grid">
              <dt>{t("ticket.status")}</dt>
              <dd>{codeLabel(t, "status", x.status)}</dd>
              <dt>{t("ticket.priority")}</dt>
              <dd>{codeLabel(t, "priority", x.priority)}</dd>
              <dt>{t("contact.source")}</dt>
              <dd>{codeLabel(t, "source", x.source)}</dd>
              {x.contact_id ? (
                <>
                  <dt>{t("ticket.contact")}</dt>
                  <dd>
                    <a href={href(`/contacts/${x.contact_id}`)}>{x.contact_id}</a>
                  </dd>
                </>
              ) : null}
              <dt>{t("ticket.created_at")}</dt>
              <dd>{fmt.dateTime(x.created_at)}</dd>
              <dt>{t("ticket.sla_first")}</dt>
              <dd class="sla-first">
                <SlaText timer={sla.first_response} />
              </dd>
              <dt>{t("ticket.sla_resolution")}</dt>
              <dd class="sla-resolution">
                <SlaText timer={sla.resolution} />
              </dd>
            </dl>
            {sla.paused ? <Notice kind="info">{t("ticket.sla_paused", { why: codeLabel(t, "ticket.paused", sla.paused_reason) })}</Notice> : null}
            {x.description ? <p class="description">{x.description}</p> : null}
          </section>
          {x.callback ? (
            <section class="panel" aria-labelledby="callback-title">
              <h2 id="callback-title">{t("ticket.callback")}</h2>
              {x.callback.done_at ? (
                <p>{t("ticket.callback_done", { at: fmt.dateTime(x.callback.done_at) })}</p>
              ) : (
                <>
                  <p>{t("ticket.callback_due", { number: x.callback.number, at: fmt.dateTime(x.callback.due_at) })}</p>
                  <button type="button" class="primary" onClick={() => patch({ callback_done: true })}>
                    {t("ticket.mark_called")}
                  </button>
                </>
              )}
            </section>
          ) : null}
          <section class="panel" aria-labelledby="update-title">
            <h2 id="update-title">{t("ticket.update")}</h2>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void patch({ status: statusOf(v["status"] ?? null), priority: priorityOf(v["priority"] ?? null), assignee: v["assignee"] ?? "", team: (v["team"] ?? "").trim() });
              }}
            >
              <div class="fields">
                <Field spec={{ name: "status", label: "ticket.status", type: "select", options: STATUSES.map((s) => ({ value: s, label: codeLabel(t, "status", s) })) }} value={v["status"] ?? ""} onChange={set("status")} />
                <Field spec={{ name: "priority", label: "ticket.priority", type: "select", options: PRIORITIES.map((p) => ({ value: p, label: codeLabel(t, "priority", p) })) }} value={v["priority"] ?? ""} onChange={set("priority")} />
                <Field spec={{ name: "assignee", label: "ticket.assignee", type: "select", options: assignees }} value={v["assignee"] ?? ""} error={error?.fields["assignee"]} onChange={set("assignee")} />
                <Field spec={{ name: "team", label: "ticket.team" }} value={v["team"] ?? ""} onChange={set("team")} />
              </div>
              <ErrorNotice error={error} />
              {saved ? <Notice kind="ok">{t("ticket.saved")}</Notice> : null}
              <div class="actions">
                <button type="submit" class="primary">
                  {t("common.save")}
                </button>
              </div>
            </form>
          </section>
        </div>
        <div>
          <section class="panel" aria-labelledby="comments-title">
            <h2 id="comments-title">{t("ticket.comments")}</h2>
            {(comments.data?.items ?? []).length === 0 ? (
              <p class="empty">{t("ticket.comments_none")}</p>
            ) : (
              <ul class="comments">
                {(comments.data?.items ?? []).map((c) => (
                  <li key={c.id} data-key={c.id}>
                    <p class="meta">
                      {people.names.get(c.author) ?? c.author} · <time dateTime={c.created_at}>{fmt.dateTime(c.created_at)}</time>
                      {c.internal ? <> <span class="badge badge-muted">{t("ticket.internal_badge")}</span></> : null}
                    </p>
                    <p>{c.body}</p>
                  </li>
                ))}
              </ul>
            )}
            <form onSubmit={post}>
              <TextArea label={t("ticket.comment")} name="body" value={body} hint={t("ticket.comment_hint")} onChange={setBody} />
              <div class="fields">
                <Field spec={{ name: "internal", label: "ticket.internal", type: "checkbox" }} value={internal} onChange={(val) => setInternal(val === true)} />
              </div>
              <div class="actions">
                <button type="submit" class="primary" disabled={!body.trim()}>
                  {t("ticket.post")}
                </button>
              </div>
            </form>
          </section>
          <section class="panel" aria-labelledby="ticket-calls">
            <h2 id="ticket-calls">{t("ticket.calls")}</h2>
            {x.calls.length === 0 ? (
              <p class="empty">{t("ticket.calls_none")}</p>
            ) : (
              <ul class="events">
                {x.calls.map((c) => (
                  <li key={c.call_id} data-key={c.call_id}>
                    <time dateTime={c.started_at}>{fmt.dateTime(c.started_at)}</time>
                    {codeLabel(t, "direction", c.direction)} · {codeLabel(t, "disposition", c.disposition)} · {fmt.duration(c.duration_s)}{" "}
                    {c.recording ? (
                      <button type="button" aria-label={`${t("ticket.play")} ${fmt.dateTime(c.started_at)}`} onClick={() => play(c.call_id)}>
                        {t("ticket.play")}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {playing ? (
              <audio controls preload="metadata" src={playing.url} data-call-id={playing.id} aria-label={t("calls.recording")}>
                {t("calls.no_audio")}
              </audio>
            ) : null}
          </section>
        </div>
      </div>
    </>
  );
}
