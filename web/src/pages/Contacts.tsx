// F13 contacts: search, a contact's record (form, call history, tickets), import with a preview
// and the errors of each row, export of a segment.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { type Column, DataTable, ErrorNotice, Field, Loading, Notice, Pager } from "../components/ui";
import { useApp } from "../context";
import { base64Of } from "../files";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";
import { href, navigate } from "../router";
import { CallHistory, ContactBadges, ContactForm, TicketTable, asError, useFields, useMyId, type Contact } from "./desk";

const PAGE_SIZE = 25;

export function Contacts(): JSX.Element {
  const { route } = useApp();
  const sub = route.path.split("/")[2] ?? "";
  if (sub === "import") return <ImportWizard />;
  if (sub === "new") return <NewContact />;
  if (sub) return <ContactRecord id={sub} />;
  return <ContactList />;
}

function ContactList(): JSX.Element {
  const { t } = useI18n();
  const { fmt, route, can } = useApp();
  const me = useMyId();
  const filter = {
    q: route.query.get("q") ?? "",
    tag: route.query.get("tag") ?? "",
    segment: route.query.get("segment") ?? "",
    mine: route.query.get("mine") ?? "",
  };
  const key = JSON.stringify(filter);
  const [values, setValues] = useState<Record<string, string | boolean>>({ ...filter, mine: filter.mine === "1" });
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({ key, stack: [] });
  const stack = cursors.key === key ? cursors.stack : [];
  const cursor = stack[stack.length - 1];
  const page = useLoad(
    () =>
      call(
        api.GET("/v1/contacts", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(filter.q ? { q: filter.q } : {}),
              ...(filter.tag ? { tag: filter.tag } : {}),
              ...(filter.segment ? { segment: filter.segment } : {}),
              ...(filter.mine === "1" ? { owner: "me" } : {}),
            },
          },
        }),
      ),
    [key, cursor],
  );
  const columns: Column<Contact>[] = [
    {
      key: "name",
      label: "contact.name",
      cell: (c) => (
        <a href={href(`/contacts/${c.id}`)} aria-label={t("contact.open", { name: c.name || c.numbers[0] || c.id })}>
          {c.name || t("contact.unnamed")}
        </a>
      ),
    },
    { key: "numbers", label: "contact.numbers", cell: (c) => c.numbers.join(", ") },
    { key: "company", label: "contact.company", cell: (c) => c.company },
    { key: "tags", label: "contact.tags", cell: (c) => [...c.tags, ...c.segments].join(", ") },
    { key: "calls", label: "contact.calls", numeric: true, cell: (c) => fmt.num(c.calls) },
    { key: "last", label: "contact.last_call", cell: (c) => (c.last_call_at ? fmt.dateTime(c.last_call_at) : "") },
    { key: "flags", label: "contact.source", cell: (c) => <>{codeLabel(t, "source", c.source)} <ContactBadges contact={c} /></> },
  ];
  const items = page.data?.items ?? [];
  return (
    <>
      <form
        class="panel filters"
        role="search"
        aria-label={t("contact.search")}
        onSubmit={(e) => {
          e.preventDefault();
          const text = (n: string): string => String(values[n] ?? "").trim();
          navigate("/contacts", { q: text("q"), tag: text("tag"), segment: text("segment"), mine: values["mine"] === true ? "1" : "" });
        }}
      >
        <div class="fields">
          <Field spec={{ name: "q", label: "contact.q", hint: "contact.q_hint" }} value={values["q"] ?? ""} onChange={(v) => setValues((o) => ({ ...o, q: v }))} />
          <Field spec={{ name: "tag", label: "contact.tag" }} value={values["tag"] ?? ""} onChange={(v) => setValues((o) => ({ ...o, tag: v }))} />
          <Field spec={{ name: "segment", label: "contact.segment" }} value={values["segment"] ?? ""} onChange={(v) => setValues((o) => ({ ...o, segment: v }))} />
          {me ? (
            <Field spec={{ name: "mine", label: "contact.only_mine", type: "checkbox" }} value={values["mine"] ?? false} onChange={(v) => setValues((o) => ({ ...o, mine: v }))} />
          ) : null}
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t("contact.search")}
          </button>
        </div>
      </form>
      <div class="toolbar">
        {can("POST /v1/contacts") ? (
          <a class="button" href={href("/contacts/new")}>
            {t("contact.add")}
          </a>
        ) : null}
        {can("POST /v1/contacts/imports") ? (
          <a class="button" href={href("/contacts/import")}>
            {t("contact.import")}
          </a>
        ) : null}
        {can("POST /v1/contacts/export") ? <ExportContacts tag={filter.tag} segment={filter.segment} /> : null}
      </div>
      <ErrorNotice error={page.error} />
      {page.loading && !page.data ? (
        <Loading />
      ) : (
        <div class="results" aria-busy={page.loading ? "true" : "false"}>
          <DataTable caption={t("contact.results")} columns={columns} rows={items} rowKey={(c) => c.id} empty="contact.none" />
          <Pager label={t("contact.paging")} stack={stack} next={page.data?.next} onMove={(s) => setCursors({ key, stack: s })} />
        </div>
      )}
    </>
  );
}

function ExportContacts(props: { tag: string; segment: string }): JSX.Element {
  const { t, lang } = useI18n();
  const { fmt } = useApp();
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<Schemas["ExportLink"] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (format: "xlsx" | "csv"): Promise<void> => {
    setBusy(true);
    setError(null);
    setLink(null);
    try {
      const query = { format, lang, ...(props.tag ? { tag: props.tag } : {}), ...(props.segment ? { segment: props.segment } : {}) };
      setLink(await call(api.POST("/v1/contacts/export", { params: { query } })));
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={() => run("xlsx")}>
        {t("contact.export")}
      </button>
      <button type="button" disabled={busy} onClick={() => run("csv")}>
        {t("contact.export_csv")}
      </button>
      <ErrorNotice error={error} />
      {link ? (
        <Notice kind="ok">
          {t("contact.export_ready", { n: fmt.num(link.rows) })}{" "}
          <a href={link.url} download={link.filename} class="download">
            {t("contact.download", { name: link.filename })}
          </a>
        </Notice>
      ) : null}
    </>
  );
}

function NewContact(): JSX.Element {
  const { t } = useI18n();
  const fields = useFields();
  if (!fields) return <Loading />;
  return (
    <>
      <p>
        <a href={href("/contacts")}>{t("contact.back")}</a>
      </p>
      <ContactForm contact={null} fields={fields} title={t("contact.add")} submitLabel={t("common.save")} onSaved={(c) => navigate(`/contacts/${c.id}`)} />
    </>
  );
}

function ContactRecord(props: { id: string }): JSX.Element {
  const { t } = useI18n();
  const { can } = useApp();
  const fields = useFields();
  const contact = useLoad(() => call(api.GET("/v1/contacts/{contact_id}", { params: { path: { contact_id: props.id } } })), [props.id]);
  const tickets = useLoad(() => call(api.GET("/v1/tickets", { params: { query: { contact_id: props.id, limit: 50 } } })), [props.id]);
  const c = contact.data;
  return (
    <>
      <p>
        <a href={href("/contacts")}>{t("contact.back")}</a>
      </p>
      <ErrorNotice error={contact.error} />
      {!c || !fields ? (
        contact.error ? null : <Loading />
      ) : (
        <>
          <p>
            <ContactBadges contact={c} />
          </p>
          <ContactForm key={c.id} contact={c} fields={fields} title={t("contact.form")} submitLabel={t("common.save")} onSaved={() => contact.reload()} />
          <section class="panel" aria-labelledby="contact-tickets">
            <h2 id="contact-tickets">{t("contact.tickets")}</h2>
            <ErrorNotice error={tickets.error} />
            <TicketTable tickets={tickets.data?.items ?? []} caption={t("contact.tickets")} />
            {can("POST /v1/tickets") ? (
              <p>
                <a href={href("/tickets/new", { contact_id: c.id })}>{t("contact.new_ticket")}</a>
              </p>
            ) : null}
          </section>
          <CallHistory contactId={c.id} />
        </>
      )}
    </>
  );
}

// --- import -------------------------------------------------------------------------------------------
const MAX_INLINE = 4 * 1024 * 1024;

type ImportOut = Schemas["ImportOut"];

function fieldName(t: ReturnType<typeof useI18n>["t"], target: string): string {
  if (target.startsWith("custom.")) return target.slice("custom.".length);
  return codeLabel(t, "import_field", target);
}

function ImportWizard(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const [kind, setKind] = useState<"contacts" | "dnc">("contacts");
  const [onDuplicate, setOnDuplicate] = useState<"skip" | "update">("skip");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<"" | "preview" | "import">("");
  const [imp, setImp] = useState<ImportOut | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tooBig, setTooBig] = useState(false);

  const preview = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setImp(null);
    setTooBig(file.size > MAX_INLINE);
    if (file.size > MAX_INLINE) return;
    setBusy("preview");
    try {
      const content = await base64Of(file);
      let out = await call(api.POST("/v1/contacts/imports", { body: { filename: file.name, kind, content_base64: content } }));
      if (kind === "contacts" && onDuplicate === "update") {
        out = await call(
          api.POST("/v1/contacts/imports/{import_id}/preview", { params: { path: { import_id: out.id } }, body: { on_duplicate: "update" } }),
        );
      }
      setImp(out);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy("");
    }
  };
  const commit = async (): Promise<void> => {
    if (!imp) return;
    setBusy("import");
    setError(null);
    try {
      setImp(await call(api.POST("/v1/contacts/imports/{import_id}/commit", { params: { path: { import_id: imp.id } } })));
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy("");
    }
  };
  const errorColumns: Column<Schemas["RowError"]>[] = [
    { key: "row", label: "import.row", numeric: true, cell: (r) => fmt.num(r.row) },
    { key: "field", label: "import.field", cell: (r) => fieldName(t, r.field) },
    { key: "message", label: "import.problem", cell: (r) => <span lang="en">{r.message}</span> },
  ];
  const sampleColumns: Column<Record<string, unknown>>[] = [
    { key: "row", label: "import.row", numeric: true, cell: (r) => String(r["row"] ?? "") },
    { key: "name", label: "contact.name", cell: (r) => String(r["name"] ?? "") },
    { key: "numbers", label: "contact.numbers", cell: (r) => (Array.isArray(r["numbers"]) ? r["numbers"].join(", ") : "") },
    { key: "company", label: "contact.company", cell: (r) => String(r["company"] ?? "") },
    { key: "tags", label: "contact.tags", cell: (r) => (Array.isArray(r["tags"]) ? r["tags"].join(", ") : "") },
  ];
  return (
    <>
      <p>
        <a href={href("/contacts")}>{t("contact.back")}</a>
      </p>
      <section class="panel" aria-labelledby="import-title">
        <h2 id="import-title">{t("import.title")}</h2>
        <p>{t("import.intro")}</p>
        <form onSubmit={preview}>
          <div class="fields">
            <Field
              spec={{
                name: "kind",
                label: "import.kind",
                type: "select",
                options: [
                  { value: "contacts", label: t("import.kind_contacts") },
                  { value: "dnc", label: t("import.kind_dnc") },
                ],
              }}
              value={kind}
              onChange={(v) => setKind(v === "dnc" ? "dnc" : "contacts")}
            />
            <div class="field">
              <label for="import-file">{t("import.file")}</label>
              <input
                id="import-file"
                name="file"
                type="file"
                required
                accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
              />
            </div>
            {kind === "contacts" ? (
              <Field
                spec={{
                  name: "on_duplicate",
                  label: "import.on_duplicate",
                  type: "select",
                  options: [
                    { value: "skip", label: t("import.skip") },
                    { value: "update", label: t("import.update") },
                  ],
                }}
                value={onDuplicate}
                onChange={(v) => setOnDuplicate(v === "update" ? "update" : "skip")}
              />
            ) : null}
          </div>
          {tooBig ? <Notice kind="error">{t("import.too_big")}</Notice> : null}
          <ErrorNotice error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy !== "" || !file}>
              {busy === "preview" ? t("import.previewing") : t("import.preview")}
            </button>
          </div>
        </form>
      </section>
      {imp ? (
        <section class="panel import-preview" aria-labelledby="preview-title">
          <h2 id="preview-title">{imp.filename}</h2>
          <p role="status" class="import-summary">
            {t("import.summary", {
              rows: fmt.num(imp.rows),
              valid: fmt.num(imp.valid),
              invalid: fmt.num(imp.invalid),
              duplicates: fmt.num(imp.duplicates),
            })}
          </p>
          {imp.status === "done" ? (
            <Notice kind="ok">
              {t("import.done", { created: fmt.num(imp.created), updated: fmt.num(imp.updated), skipped: fmt.num(imp.skipped) })}
            </Notice>
          ) : null}
          {imp.status === "failed" ? <Notice kind="error">{t("import.failed", { error: imp.error ?? "" })}</Notice> : null}
          <h3>{t("import.columns")}</h3>
          <DataTable
            caption={t("import.columns")}
            columns={[
              { key: "column", label: "import.column", cell: (r: [string, string]) => r[0] },
              { key: "field", label: "import.field", cell: (r: [string, string]) => fieldName(t, r[1]) },
            ]}
            rows={Object.entries(imp.columns)}
            rowKey={(r) => r[0]}
          />
          {imp.errors.length ? (
            <>
              <h3>{t("import.errors")}</h3>
              <DataTable caption={t("import.errors")} columns={errorColumns} rows={imp.errors} rowKey={(r) => `${r.row}-${r.field}`} />
              {imp.errors_total > imp.errors.length ? <p>{t("import.errors_more", { n: fmt.num(imp.errors_total - imp.errors.length) })}</p> : null}
            </>
          ) : null}
          {imp.kind === "contacts" && imp.sample.length ? (
            <>
              <h3>{t("import.sample")}</h3>
              <DataTable caption={t("import.sample")} columns={sampleColumns} rows={imp.sample} rowKey={(r) => String(r["row"])} />
            </>
          ) : null}
          {imp.status === "previewed" ? (
            <div class="actions">
              <button type="button" class="primary" disabled={busy !== "" || imp.valid === 0} onClick={commit}>
                {busy === "import" ? t("import.running") : t("import.commit", { n: fmt.num(imp.valid) })}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
