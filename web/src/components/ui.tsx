// The console's building blocks: notices, form fields, a form panel that shows the API's
// field errors, tables, a two-step delete, the QR code of a provisioning link.
import type { ComponentChildren, JSX } from "preact";
import { useId, useMemo, useState } from "preact/hooks";
import { encode } from "uqr";
import { ApiError } from "../api/client";
import { hasKey, useI18n, type MsgKey } from "../i18n";

// --- messages ---------------------------------------------------------------------------------
/** Previous / next page of a cursor-paged list: ``stack`` holds the cursors of the pages
 * before this one (the Calls, Contacts and Tickets pages keep it per filter). */
export function Pager(props: {
  label: string;
  stack: readonly string[];
  next: string | null | undefined;
  onMove: (stack: string[]) => void;
}): JSX.Element {
  const { t } = useI18n();
  const { next, stack } = props;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={stack.length === 0} onClick={() => props.onMove(stack.slice(0, -1))}>
        {t("calls.prev")}
      </button>
      <button type="button" disabled={!next} onClick={() => next && props.onMove([...stack, next])}>
        {t("calls.next")}
      </button>
    </nav>
  );
}

export function Notice(props: { kind: "info" | "ok" | "warn" | "error"; children: ComponentChildren }): JSX.Element {
  const role = props.kind === "error" ? "alert" : "status";
  return (
    <div class={`notice notice-${props.kind}`} role={role}>
      {props.children}
    </div>
  );
}

/** The translated meaning of an API refusal; the API's own (English) message after it. */
export function errorText(t: (k: MsgKey, p?: Record<string, string | number>) => string, e: ApiError): string {
  const byCode = `err.${e.code}`;
  if (hasKey(byCode)) return t(byCode, { s: e.retryAfterS ?? 60 });
  if (e.status === 0) return t("err.network");
  if (e.status >= 500) return t("err.server");
  const byStatus = `err.${e.status}`;
  return hasKey(byStatus) ? t(byStatus) : t("err.other", { status: e.status });
}

export function ErrorNotice(props: { error: ApiError | null }): JSX.Element | null {
  const { t } = useI18n();
  if (!props.error) return null;
  const e = props.error;
  const detail = e.message && e.status !== 0 && e.status < 500 ? e.message : "";
  return (
    <Notice kind="error">
      {errorText(t, e)}
      {detail ? (
        <>
          {" "}
          <span class="detail" lang="en">
            ({detail})
          </span>
        </>
      ) : null}
    </Notice>
  );
}

export function Loading(): JSX.Element {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      {t("common.loading")}
    </p>
  );
}

// --- forms --------------------------------------------------------------------------------------
export type Values = Record<string, string | boolean>;

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: MsgKey;
  type?: "text" | "number" | "password" | "email" | "select" | "checkbox" | "datetime-local" | "tel";
  options?: Option[];
  required?: boolean;
  pattern?: string;
  hint?: MsgKey;
  autoComplete?: string;
  min?: number;
  max?: number;
  placeholder?: string;
  inputMode?: "numeric" | "tel" | "email" | "text";
  list?: string;
}

export function Field(props: {
  spec: FieldSpec;
  value: string | boolean;
  error?: string | undefined;
  onChange: (v: string | boolean) => void;
}): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const { spec } = props;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: spec.name,
    required: spec.required,
    "aria-invalid": props.error ? ("true" as const) : undefined,
    "aria-describedby": describedBy,
  };
  let control: JSX.Element;
  if (spec.type === "checkbox") {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={props.value === true}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
    );
  } else if (spec.type === "select") {
    control = (
      <select
        {...common}
        value={String(props.value)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {(spec.options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={spec.type ?? "text"}
        value={String(props.value)}
        pattern={spec.pattern}
        min={spec.min}
        max={spec.max}
        placeholder={spec.placeholder}
        inputMode={spec.inputMode}
        autoComplete={spec.autoComplete ?? "off"}
        list={spec.list}
        onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).value)}
      />
    );
  }
  return (
    <div class={`field${spec.type === "checkbox" ? " field-check" : ""}`}>
      <label for={id}>{t(spec.label)}</label>
      {control}
      {spec.hint ? (
        <small id={hintId} class="hint">
          {t(spec.hint)}
        </small>
      ) : null}
      {props.error ? (
        <small id={errId} class="field-error">
          {t("form.field_error")}{" "}
          <span lang="en">{props.error}</span>
        </small>
      ) : null}
    </div>
  );
}

/** A form of fields; submit gets the values, an ApiError shows its field errors at the fields. */
export function FormPanel(props: {
  title: string;
  fields: FieldSpec[];
  initial: Values;
  submitLabel: MsgKey;
  onSubmit: (values: Values) => Promise<void>;
  onCancel?: () => void;
  children?: ComponentChildren;
}): JSX.Element {
  const { t } = useI18n();
  const [values, setValues] = useState<Values>(props.initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(values);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "client", String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
      <form onSubmit={submit} noValidate={false}>
        <div class="fields">
          {props.fields.map((f) => (
            <Field
              key={f.name}
              spec={f}
              value={values[f.name] ?? ""}
              error={error?.fields[f.name]}
              onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
            />
          ))}
        </div>
        <ErrorNotice error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t(props.submitLabel)}
          </button>
          {props.onCancel ? (
            <button type="button" onClick={props.onCancel}>
              {t("common.cancel")}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/** Values of a form as strings (trimmed) and booleans. */
export function str(v: Values, name: string): string {
  const x = v[name];
  return typeof x === "string" ? x.trim() : "";
}

export function bool(v: Values, name: string): boolean {
  return v[name] === true;
}

export function int(v: Values, name: string): number {
  return Number.parseInt(str(v, name), 10);
}

// --- tables -------------------------------------------------------------------------------------
export interface Column<T> {
  key: string;
  label: MsgKey;
  cell: (row: T) => ComponentChildren;
  numeric?: boolean;
}

export function DataTable<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  actions?: (row: T) => ComponentChildren;
  empty?: MsgKey;
}): JSX.Element {
  const { t } = useI18n();
  if (props.rows.length === 0) return <p class="empty">{t(props.empty ?? "common.empty")}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" class={c.numeric ? "num" : undefined}>
                {t(c.label)}
              </th>
            ))}
            {props.actions ? <th scope="col">{t("common.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} data-key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? "num" : undefined}>
                  {c.cell(row)}
                </td>
              ))}
              {props.actions ? <td class="row-actions">{props.actions(row)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A destructive action in two steps: the button, then "confirm" / "cancel" in its place. */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onError?: (e: ApiError) => void;
}): JSX.Element {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  const go = async (): Promise<void> => {
    setBusy(true);
    try {
      await props.onConfirm();
    } catch (e) {
      props.onError?.(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span class="confirm">
      <button type="button" class="danger" disabled={busy} onClick={go}>
        {props.confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t("common.cancel")}
      </button>
    </span>
  );
}

// --- QR code ------------------------------------------------------------------------------------
/** The QR code of `text` as SVG squares (no canvas, no inline style: the CSP stays strict). */
export function QrCode(props: { text: string; label: string }): JSX.Element {
  const path = useMemo(() => {
    const qr = encode(props.text, { ecc: "M", border: 4 });
    let d = "";
    qr.data.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) d += `M${x} ${y}h1v1h-1z`;
      }),
    );
    return { d, size: qr.size };
  }, [props.text]);
  return (
    <svg
      class="qr"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${path.size} ${path.size}`}
      width={path.size * 6}
      height={path.size * 6}
      shape-rendering="crispEdges"
    >
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}

/** A secret the API shows once (API key, edge token): shown here, then gone with the page. */
export function ShownOnce(props: { title: string; value: string; onDone: () => void }): JSX.Element {
  const { t } = useI18n();
  const id = useId();
  return (
    <section class="panel secret" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      <Notice kind="warn">{t("common.shown_once")}</Notice>
      <p>
        <code class="secret-value">{props.value}</code>
      </p>
      <button type="button" onClick={props.onDone}>
        {t("common.done")}
      </button>
    </section>
  );
}

export function Badge(props: { kind: "ok" | "warn" | "error" | "muted"; children: ComponentChildren }): JSX.Element {
  return <span class={`badge badge-${props.kind}`}>{props.children}</span>;
}
