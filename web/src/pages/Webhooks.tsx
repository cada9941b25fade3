// B2: signed webhooks of the tenant (its own software gets the call, contact and ticket events): add (the signing
// secret shown once), change, turn off, test (ping), rotate the secret, and each webhook's
// delivery log (status, attempts, the receiver's answer, the next retry).
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { Badge, DataTable, ErrorNotice, Loading, Notice, ShownOnce, bool, str, type FieldSpec, type Values } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

type Webhook = Schemas["WebhookOut"];
type Delivery = Schemas["DeliveryOut"];
type Kind = Exclude<Schemas["WebhookCreate"]["events"], undefined>[number];

const KINDS = [
  "call.ringing",
  "call.answered",
  "call.transferred",
  "call.picked_up",
  "call.held",
  "call.resumed",
  "call.ended",
  "recording.ready",
  "call.wrapped_up",
  "contact.created",
  "contact.updated",
  "contact.deleted",
  "ticket.created",
  "ticket.updated",
  "ticket.status_changed",
  "ticket.assigned",
  "ticket.commented",
  "ticket.mentioned",
  "ticket.deleted",
] as const satisfies readonly Kind[];

const STATUS_KIND = { succeeded: "ok", pending: "muted", retrying: "warn", failed: "error", cancelled: "muted" } as const;

function kindField(k: (typeof KINDS)[number]): string {
  return `ev_${k.replace(".", "_")}`;
}

function eventFields(): FieldSpec[] {
  return [
    { name: "ev_all", label: "webhook.all_events", type: "checkbox" },
    ...KINDS.map((k): FieldSpec => ({ name: kindField(k), label: `evkind.${k}`, type: "checkbox" })),
  ];
}

function eventValues(events: readonly string[]): Values {
  const v: Values = { ev_all: events.includes("*") };
  // "contact.*" / "ticket.*" (set through the API): every kind of the family
  for (const k of KINDS) v[kindField(k)] = events.includes(k) || events.includes(`${k.split(".")[0]}.*`);
  return v;
}

function eventsOf(v: Values): Kind[] {
  if (bool(v, "ev_all")) return ["*"];
  const picked = KINDS.filter((k) => bool(v, kindField(k)));
  return picked.length ? picked : ["*"];
}

function Deliveries(props: { hook: Webhook; onClose: () => void }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const [pages, setPages] = useState<string[]>([]);
  const [extra, setExtra] = useState<Delivery[]>([]);
  const first = useLoad(
    () =>
      call(api.GET("/v1/webhooks/{webhook_id}/deliveries", { params: { path: { webhook_id: props.hook.id }, query: { limit: 25 } } })),
    [props.hook.id],
  );
  const next = pages.length ? pages[pages.length - 1] : first.data?.next;
  const more = async (): Promise<void> => {
    if (!next) return;
    const page = await call(
      api.GET("/v1/webhooks/{webhook_id}/deliveries", {
        params: { path: { webhook_id: props.hook.id }, query: { limit: 25, cursor: next } },
      }),
    );
    setExtra((old) => [...old, ...page.items]);
    setPages((old) => [...old, page.next ?? ""]);
  };
  const rows = [...(first.data?.items ?? []), ...extra];
  return (
    <section class="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{t("webhook.deliveries_of", { url: props.hook.url })}</h2>
      <p>
        <button type="button" onClick={() => { setExtra([]); setPages([]); first.reload(); }}>
          {t("webhook.refresh")}
        </button>{" "}
        <button type="button" onClick={props.onClose}>
          {t("common.close")}
        </button>
      </p>
      <ErrorNotice error={first.error} />
      {first.loading && !first.data ? (
        <Loading />
      ) : (
        <div class="results" aria-busy={first.loading ? "true" : "false"}>
          <DataTable<Delivery>
            caption={t("webhook.deliveries")}
            rows={rows}
            rowKey={(d) => d.id}
            empty="webhook.no_deliveries"
            columns={[
              { key: "created", label: "common.created_at", cell: (d) => fmt.dateTime(d.created_at) },
              { key: "type", label: "webhook.event", cell: (d) => codeLabel(t, "evkind", d.event_type) },
              {
                key: "status",
                label: "webhook.status",
                cell: (d) => <Badge kind={STATUS_KIND[d.status]}>{codeLabel(t, "delivery", d.status)}</Badge>,
              },
              { key: "attempts", label: "webhook.attempts", numeric: true, cell: (d) => fmt.num(d.attempts) },
              { key: "answer", label: "webhook.answer", cell: (d) => (d.last_status ? `HTTP ${d.last_status}` : d.last_error ?? "") },
              { key: "ms", label: "webhook.duration", numeric: true, cell: (d) => (d.duration_ms === null ? "" : `${fmt.num(d.duration_ms)} ms`) },
              { key: "next", label: "webhook.next_attempt", cell: (d) => fmt.dateTime(d.next_attempt_at) },
            ]}
          />
          {next ? (
            <p>
              <button type="button" onClick={() => void more()}>
                {t("webhook.more")}
              </button>
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}

export function Webhooks(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [showing, setShowing] = useState<Webhook | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<void>): Promise<void> => {
    setError(null);
    setMessage("");
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    }
  };
  const path = (h: Webhook): { params: { path: { webhook_id: string } } } => ({ params: { path: { webhook_id: h.id } } });
  return (
    <ResourcePage<Webhook>
      noun="noun.webhook"
      caption="nav.webhooks"
      load={() => call(api.GET("/v1/webhooks")).then((r) => r.items)}
      rowKey={(h) => h.url}
      columns={[
        { key: "url", label: "webhook.url", cell: (h) => <code>{h.url}</code> },
        {
          key: "events",
          label: "webhook.events",
          cell: (h) => (h.events.includes("*") ? t("webhook.all_events") : h.events.map((e) => codeLabel(t, "evkind", e)).join(", ")),
        },
        {
          key: "enabled",
          label: "webhook.enabled",
          cell: (h) => <Badge kind={h.enabled ? "ok" : "muted"}>{h.enabled ? t("webhook.on") : t("webhook.off")}</Badge>,
        },
        { key: "description", label: "webhook.description", cell: (h) => h.description },
        { key: "created", label: "common.created_at", cell: (h) => fmt.dateTime(h.created_at) },
      ]}
      create={{
        fields: [
          { name: "url", label: "webhook.url", type: "text", required: true, hint: "webhook.url_hint", inputMode: "text" },
          { name: "description", label: "webhook.description" },
          ...eventFields(),
        ],
        initial: { url: "https://", description: "", ...eventValues(["*"]) },
        submit: (v) =>
          call(api.POST("/v1/webhooks", { body: { url: str(v, "url"), description: str(v, "description"), events: eventsOf(v) } })),
        after: (result, done) => (
          <ShownOnce title={t("webhook.secret_title")} value={(result as Schemas["WebhookCreated"]).secret} onDone={done} />
        ),
      }}
      edit={{
        fields: () => [
          { name: "url", label: "webhook.url", required: true },
          { name: "description", label: "webhook.description" },
          { name: "enabled", label: "webhook.enabled", type: "checkbox" },
          ...eventFields(),
        ],
        initial: (h) => ({ url: h.url, description: h.description, enabled: h.enabled, ...eventValues(h.events) }),
        submit: (h, v) =>
          call(
            api.PATCH("/v1/webhooks/{webhook_id}", {
              ...path(h),
              body: { url: str(v, "url"), description: str(v, "description"), enabled: bool(v, "enabled"), events: eventsOf(v) },
            }),
          ),
      }}
      remove={(h) => call(api.DELETE("/v1/webhooks/{webhook_id}", path(h)))}
      rowActions={(h) => (
        <>
          <button type="button" aria-label={`${t("webhook.deliveries")} ${h.url}`} onClick={() => setShowing(h)}>
            {t("webhook.deliveries")}
          </button>
          <button
            type="button"
            aria-label={`${t("webhook.ping")} ${h.url}`}
            onClick={() =>
              void act(async () => {
                await call(api.POST("/v1/webhooks/{webhook_id}/ping", path(h)));
                setMessage(t("webhook.ping_sent", { url: h.url }));
                setShowing(h);
              })
            }
          >
            {t("webhook.ping")}
          </button>
          <button
            type="button"
            aria-label={`${t("webhook.rotate")} ${h.url}`}
            onClick={() =>
              void act(async () => {
                const out = await call(api.POST("/v1/webhooks/{webhook_id}/rotate-secret", path(h)));
                setSecret({ title: t("webhook.secret_title"), value: out.secret });
              })
            }
          >
            {t("webhook.rotate")}
          </button>
        </>
      )}
    >
      <p class="muted">{t("webhook.intro")}</p>
      {message ? <Notice kind="ok">{message}</Notice> : null}
      <ErrorNotice error={error} />
      {secret ? <ShownOnce title={secret.title} value={secret.value} onDone={() => setSecret(null)} /> : null}
      {showing ? <Deliveries key={showing.id} hook={showing} onClose={() => setShowing(null)} /> : null}
    </ResourcePage>
  );
}
