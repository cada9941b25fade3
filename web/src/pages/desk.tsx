// What the contacts, tickets and agent-screen pages share (issue 17): the contact form with the
// tenant's custom fields, a contact's call history with playback, a list of tickets, the users
// a contact or a ticket can be given to, and small helpers.
import type { JSX } from "preact";
import { useId, useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { DataTable, ErrorNotice, Field, Loading, Notice, type Column, type Option } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";
import { href } from "../router";
import "./desk.css";

export type Contact = Schemas["ContactOut"];
export type Ticket = Schemas["TicketOut"];
export type FieldDef = Schemas["FieldOut"];

export function asError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, "client", String(e));
}

export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The logged-in user's id ("" for an API key or the provider). */
export function useMyId(): string {
  const { session } = useApp();
  return session.me.user?.id ?? "";
}

/** Users a contact or a ticket may be given to: the tenant's users for an admin, else "me". */
export function usePeople(): { options: Option[]; names: Map<string, string> } {
  const { can, session } = useApp();
  const { t } = useI18n();
  const me = session.me.user;
  const users = useLoad(
    () => (can("GET /v1/users") ? call(api.GET("/v1/users")).then((r) => r.items) : Promise.resolve([])),
    [],
  );
  const names = new Map<string, string>();
  for (const u of users.data ?? []) names.set(u.id, u.name || u.email);
  if (me) names.set(me.id, me.name || me.email);
  const options: Option[] = [...names].map(([value, label]) => ({ value, label }));
  if (me && !(users.data ?? []).length) options.splice(0, options.length, { value: me.id, label: t("ticket.me") });
  return { options, names };
}

/** The tenant's disposition codes (wrap-up) and their labels in the page's language. */
export function useDispositions(): { items: Schemas["DispositionOut"][]; label: (code: string) => string } {
  const { lang } = useI18n();
  const list = useLoad(() => call(api.GET("/v1/dispositions")), []);
  const items = list.data?.items ?? [];
  const label = (code: string): string => {
    const d = items.find((x) => x.code === code);
    return d ? (lang === "en" ? d.label_en : d.label_vi) : code;
  };
  return { items, label };
}

export function TextArea(props: {
  label: string;
  name: string;
  value: string;
  hint?: string;
  error?: string | undefined;
  rows?: number;
  maxLength?: number;
  onChange: (v: string) => void;
}): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class="field field-wide">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        maxLength={props.maxLength}
        value={props.value}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onChange((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {props.hint ? (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${id}-err`} class="field-error">
          {t("form.field_error")} <span lang="en">{props.error}</span>
        </small>
      ) : null}
    </div>
  );
}

/** The first error of a field (the API names list items and custom fields with a dot). */
function fieldError(e: ApiError | null, name: string): string | undefined {
  if (!e) return undefined;
  for (const [k, v] of Object.entries(e.fields)) if (k === name || k.startsWith(`${name}.`)) return v;
  return undefined;
}

type FormValues = Record<string, string | boolean>;

function initialValues(c: Contact | null, number: string, fields: FieldDef[]): FormValues {
  const v: FormValues = {
    name: c?.name ?? "",
    company: c?.company ?? "",
    email: c?.email ?? "",
    numbers: c ? c.numbers.join(", ") : number,
    owner: c?.owner ?? "",
    tags: c?.tags.join(", ") ?? "",
    segments: c?.segments.join(", ") ?? "",
    notes: c?.notes ?? "",
    dnc_call: c ? "call" in c.dnc : false,
    dnc_reason: c?.dnc["call"]?.reason ?? "",
  };
  for (const f of fields) {
    const value = c?.custom[f.key];
    v[`custom.${f.key}`] = f.type === "checkbox" ? value === true : value === undefined || value === null ? "" : String(value);
  }
  return v;
}

function customValue(f: FieldDef, v: string | boolean | undefined): unknown {
  if (f.type === "checkbox") return v === true;
  const text = typeof v === "string" ? v.trim() : "";
  if (!text) return null;
  return f.type === "number" ? Number(text.replace(",", ".")) : text;
}

/** The customer form: a new contact (``contact`` null) or a change of one. */
export function ContactForm(props: {
  contact: Contact | null;
  number?: string;
  fields: FieldDef[];
  title: string;
  submitLabel: string;
  onSaved: (c: Contact) => void;
}): JSX.Element {
  const { t } = useI18n();
  const people = usePeople();
  const headingId = useId();
  const [values, setValues] = useState<FormValues>(() => initialValues(props.contact, props.number ?? "", props.fields));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (name: string) => (v: string | boolean) => setValues((old) => ({ ...old, [name]: v }));
  const s = (name: string): string => {
    const x = values[name];
    return typeof x === "string" ? x.trim() : "";
  };
  const masked = props.contact?.numbers_masked === true;
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    const custom: Record<string, unknown> = {};
    for (const f of props.fields) custom[f.key] = customValue(f, values[`custom.${f.key}`]);
    const wasDnc = props.contact ? "call" in props.contact.dnc : false;
    const dnc: Record<string, { reason: string } | null> = {};
    if (values["dnc_call"] === true) dnc["call"] = { reason: s("dnc_reason") };
    else if (wasDnc) dnc["call"] = null;
    const body = {
      name: s("name"),
      company: s("company"),
      email: s("email"),
      owner: s("owner"),
      tags: splitList(s("tags")),
      segments: splitList(s("segments")),
      notes: typeof values["notes"] === "string" ? values["notes"] : "",
      custom: props.contact ? custom : Object.fromEntries(Object.entries(custom).filter(([, x]) => x !== null)),
      ...(masked ? {} : { numbers: splitList(s("numbers")) }),
    };
    try {
      const out = props.contact
        ? await call(
            api.PATCH("/v1/contacts/{contact_id}", {
              params: { path: { contact_id: props.contact.id } },
              body: { ...body, dnc },
            }),
          )
        : await call(
            api.POST("/v1/contacts", {
              body: { ...body, dnc: Object.fromEntries(Object.entries(dnc).filter(([, x]) => x !== null)) as Record<string, { reason: string }> },
            }),
          );
      setSaved(true);
      props.onSaved(out);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };
  const ownerOptions: Option[] = [{ value: "", label: t("contact.nobody") }, ...people.options];
  const current = s("owner");
  if (current && !ownerOptions.some((o) => o.value === current)) ownerOptions.push({ value: current, label: current });
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      {masked ? <Notice kind="info">{t("contact.masked")}</Notice> : null}
      <form onSubmit={submit} class="contact-form">
        <div class="fields">
          <Field spec={{ name: "name", label: "contact.name", autoComplete: "off" }} value={values["name"] ?? ""} error={fieldError(error, "name")} onChange={set("name")} />
          <Field
            spec={{ name: "numbers", label: "contact.numbers", type: "tel", inputMode: "tel", hint: "contact.numbers_hint" }}
            value={values["numbers"] ?? ""}
            error={fieldError(error, "numbers")}
            onChange={set("numbers")}
          />
          <Field spec={{ name: "company", label: "contact.company" }} value={values["company"] ?? ""} error={fieldError(error, "company")} onChange={set("company")} />
          <Field spec={{ name: "email", label: "contact.email", type: "email", inputMode: "email" }} value={values["email"] ?? ""} error={fieldError(error, "email")} onChange={set("email")} />
          <Field spec={{ name: "owner", label: "contact.owner", type: "select", options: ownerOptions }} value={values["owner"] ?? ""} error={fieldError(error, "owner")} onChange={set("owner")} />
          <Field spec={{ name: "tags", label: "contact.tags", hint: "contact.labels_hint" }} value={values["tags"] ?? ""} error={fieldError(error, "tags")} onChange={set("tags")} />
          <Field spec={{ name: "segments", label: "contact.segments", hint: "contact.labels_hint" }} value={values["segments"] ?? ""} error={fieldError(error, "segments")} onChange={set("segments")} />
          {props.fields.map((f) => (
            <CustomField key={f.key} def={f} value={values[`custom.${f.key}`] ?? ""} error={fieldError(error, `custom.${f.key}`)} onChange={set(`custom.${f.key}`)} />
          ))}
          <Field spec={{ name: "dnc_call", label: "contact.dnc_call", type: "checkbox" }} value={values["dnc_call"] ?? false} onChange={set("dnc_call")} />
          {values["dnc_call"] === true ? (
            <Field spec={{ name: "dnc_reason", label: "contact.dnc_reason", required: true }} value={values["dnc_reason"] ?? ""} error={fieldError(error, "dnc")} onChange={set("dnc_reason")} />
          ) : null}
          <TextArea label={t("contact.notes")} name="notes" value={String(values["notes"] ?? "")} error={fieldError(error, "notes")} onChange={set("notes")} />
        </div>
        <ErrorNotice error={error} />
        {saved ? <Notice kind="ok">{t("contact.saved")}</Notice> : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}

function CustomField(props: {
  def: FieldDef;
  value: string | boolean;
  error: string | undefined;
  onChange: (v: string | boolean) => void;
}): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const f = props.def;
  const errId = props.error ? `${id}-err` : undefined;
  let control: JSX.Element;
  if (f.type === "checkbox") {
    control = (
      <input id={id} type="checkbox" name={`custom.${f.key}`} checked={props.value === true} aria-describedby={errId}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
    );
  } else if (f.type === "select") {
    control = (
      <select id={id} name={`custom.${f.key}`} value={String(props.value)} required={f.required} aria-describedby={errId}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">—</option>
        {f.options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    );
  } else {
    control = (
      <input id={id} name={`custom.${f.key}`} required={f.required} aria-describedby={errId}
        type={f.type === "number" ? "number" : f.type === "date" ? "date" : "text"} value={String(props.value)}
        aria-invalid={props.error ? "true" : undefined}
        onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).value)} />
    );
  }
  return (
    <div class={`field${f.type === "checkbox" ? " field-check" : ""}`}>
      <label for={id}>{f.label}</label>
      {control}
      {props.error ? (
        <small id={errId} class="field-error">
          {t("form.field_error")} <span lang="en">{props.error}</span>
        </small>
      ) : null}
    </div>
  );
}

export function ContactBadges(props: { contact: Contact }): JSX.Element {
  const { t } = useI18n();
  const c = props.contact;
  return (
    <>
      {!c.callable ? <span class="badge badge-error">{t("contact.not_callable")}</span> : null}
      {c.national_dnc.length ? <span class="badge badge-warn">{t("contact.national_dnc")}</span> : null}
    </>
  );
}

/** A contact's calls, newest first, each with its recording to play. */
export function CallHistory(props: { contactId: string }): JSX.Element {
  const { t } = useI18n();
  const { fmt, session } = useApp();
  const dispositions = useDispositions();
  // an agent plays the recordings of its own extension's calls only (the API's rule for calls)
  const own = session.role === "agent" ? (session.me.user?.extension ?? "") : null;
  const calls = useLoad(
    () => call(api.GET("/v1/contacts/{contact_id}/calls", { params: { path: { contact_id: props.contactId }, query: { limit: 50 } } })),
    [props.contactId],
  );
  const [playing, setPlaying] = useState<{ id: string; url: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const play = async (callId: string): Promise<void> => {
    setError(null);
    try {
      const link = await call(api.GET("/v1/cdrs/{call_id}/recording", { params: { path: { call_id: callId } } }));
      setPlaying({ id: callId, url: link.url });
    } catch (e) {
      setError(asError(e));
    }
  };
  const columns: Column<Schemas["ContactCallOut"]>[] = [
    { key: "time", label: "calls.time", cell: (c) => <time dateTime={c.started_at}>{fmt.dateTime(c.started_at)}</time> },
    { key: "direction", label: "calls.direction", cell: (c) => codeLabel(t, "direction", c.direction) },
    { key: "disposition", label: "calls.disposition", cell: (c) => codeLabel(t, "disposition", c.disposition) },
    { key: "extension", label: "calls.extension", cell: (c) => c.extension },
    { key: "duration", label: "calls.duration", numeric: true, cell: (c) => fmt.duration(c.duration_s) },
    {
      key: "wrapup",
      label: "wrapup.column",
      cell: (c) =>
        c.wrapup ? (
          <span class="wrapup" data-disposition={c.wrapup.disposition}>
            <strong>{dispositions.label(c.wrapup.disposition)}</strong>
            {c.wrapup.notes_excerpt ? <span class="muted"> {c.wrapup.notes_excerpt}</span> : null}
          </span>
        ) : (
          t("wrapup.empty")
        ),
    },
    {
      key: "recording",
      label: "calls.recording",
      cell: (c) =>
        c.recording && (own === null || c.extension === own) ? (
          <button type="button" aria-label={`${t("ticket.play")} ${fmt.dateTime(c.started_at)}`} onClick={() => play(c.call_id)}>
            {t("ticket.play")}
          </button>
        ) : (
          t("calls.no_recording")
        ),
    },
  ];
  return (
    <section class="panel" aria-labelledby="history-title">
      <h2 id="history-title">{t("contact.history")}</h2>
      <ErrorNotice error={calls.error ?? error} />
      {playing ? (
        <audio controls preload="metadata" src={playing.url} data-call-id={playing.id} aria-label={t("calls.recording")}>
          {t("calls.no_audio")}
        </audio>
      ) : null}
      {calls.loading && !calls.data ? (
        <Loading />
      ) : (
        <DataTable caption={t("contact.history")} columns={columns} rows={calls.data?.items ?? []} rowKey={(c) => c.call_id} empty="contact.history_none" />
      )}
    </section>
  );
}

export function SlaText(props: { timer: Schemas["TimerOut"] }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const x = props.timer;
  if (!x.due_at) return <>{t("ticket.sla_none")}</>;
  const at = fmt.dateTime(x.due_at);
  if (x.met_at) {
    return x.breached ? (
      <span class="badge badge-error">{t("ticket.sla_late_met", { at: fmt.dateTime(x.met_at) })}</span>
    ) : (
      <span class="badge badge-ok">{t("ticket.sla_met", { at: fmt.dateTime(x.met_at) })}</span>
    );
  }
  const m = Math.round(Math.abs(x.remaining_min ?? 0));
  return x.breached ? (
    <span class="badge badge-error">{t("ticket.sla_late", { m: fmt.num(m), at })}</span>
  ) : (
    <span class="badge badge-muted">{t("ticket.sla_left", { m: fmt.num(m), at })}</span>
  );
}

export function TicketTable(props: { tickets: Ticket[]; caption: string; compact?: boolean }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const columns: Column<Ticket>[] = [
    {
      key: "number",
      label: "ticket.number",
      cell: (x) => (
        <a href={href(`/tickets/${x.id}`)} aria-label={t("ticket.open_one", { n: x.number })}>
          #{x.number}
        </a>
      ),
    },
    { key: "subject", label: "ticket.subject", cell: (x) => x.subject },
    { key: "status", label: "ticket.status", cell: (x) => codeLabel(t, "status", x.status) },
    { key: "priority", label: "ticket.priority", cell: (x) => codeLabel(t, "priority", x.priority) },
    { key: "sla", label: "ticket.sla", cell: (x) => <SlaText timer={x.sla.first_response.met_at ? x.sla.resolution : x.sla.first_response} /> },
    { key: "created", label: "ticket.created_at", cell: (x) => <time dateTime={x.created_at}>{fmt.dateTime(x.created_at)}</time> },
  ];
  const shown = props.compact ? columns.filter((c) => ["number", "subject", "status"].includes(c.key)) : columns;
  return <DataTable caption={props.caption} columns={shown} rows={props.tickets} rowKey={(x) => x.id} empty="ticket.none" />;
}

export function useFields(): FieldDef[] | undefined {
  const fields = useLoad(() => call(api.GET("/v1/contact-fields")).then((r) => r.items), []);
  return fields.data;
}
