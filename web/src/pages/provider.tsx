// The provider's pages: tenants (create, suspend, plan), plans, edge nodes.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { Badge, ConfirmButton, ErrorNotice, ShownOnce, int, str, type FieldSpec, type Option } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

const GB = 1024 ** 3; // control_plane/plans/service.py: a "5 GB" plan

async function allTenants(): Promise<Schemas["TenantOut"][]> {
  const out: Schemas["TenantOut"][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await call(api.GET("/v1/tenants", { params: { query: { limit: 200, cursor } } }));
    out.push(...page.items);
    if (!page.next) break;
    cursor = page.next;
  }
  return out;
}

export function Tenants(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const plans = useLoad(() => call(api.GET("/v1/plans")).then((r) => r.items), []);
  const [error, setError] = useState<ApiError | null>(null);
  const planOptions: Option[] = (plans.data ?? []).map((p) => ({ value: p.name, label: p.name }));
  const setStatus = async (x: Schemas["TenantOut"], status: "active" | "suspended", reload: () => void): Promise<void> => {
    setError(null);
    await call(api.PATCH("/v1/tenants/{tenant_id}", { params: { path: { tenant_id: x.id } }, body: { status } }));
    reload();
  };
  return (
    <ResourcePage<Schemas["TenantOut"]>
      noun="noun.tenant"
      caption="nav.tenants"
      load={allTenants}
      rowKey={(x) => x.domain}
      columns={[
        { key: "name", label: "tenant.name", cell: (x) => x.name },
        { key: "domain", label: "tenant.domain", cell: (x) => x.domain },
        { key: "plan", label: "tenant.plan", cell: (x) => x.plan },
        {
          key: "status",
          label: "tenant.status",
          cell: (x) => <Badge kind={x.status === "active" ? "ok" : "error"}>{codeLabel(t, "tenant_status", x.status)}</Badge>,
        },
        {
          key: "ext",
          label: "tenant.extensions",
          numeric: true,
          cell: (x) => `${fmt.num(x.extension_count)} / ${fmt.num(x.max_extensions)}`,
        },
        { key: "calls", label: "tenant.max_calls", numeric: true, cell: (x) => fmt.num(x.max_concurrent_calls) },
        { key: "storage", label: "tenant.storage", numeric: true, cell: (x) => fmt.pct(x.recording.usage_pct) },
        { key: "tz", label: "settings.time_zone", cell: (x) => x.time_zone },
      ]}
      create={{
        fields: [
          { name: "name", label: "tenant.name", required: true },
          { name: "domain", label: "tenant.domain", required: true, hint: "tenant.domain_hint" },
          { name: "plan", label: "tenant.plan", type: "select", options: planOptions },
          { name: "time_zone", label: "settings.time_zone" },
        ],
        initial: { name: "", domain: "", plan: planOptions[0]?.value ?? "", time_zone: "Asia/Ho_Chi_Minh" },
        submit: (v) =>
          call(
            api.POST("/v1/tenants", {
              body: {
                name: str(v, "name"),
                domain: str(v, "domain"),
                ...(str(v, "plan") ? { plan: str(v, "plan") } : {}),
                time_zone: str(v, "time_zone") || "Asia/Ho_Chi_Minh",
              },
            }),
          ),
      }}
      edit={{
        fields: () => [
          { name: "plan", label: "tenant.plan", type: "select", options: planOptions },
          { name: "max_concurrent_calls", label: "tenant.max_calls", type: "number", min: 1 },
        ],
        initial: (x) => ({ plan: x.plan, max_concurrent_calls: String(x.max_concurrent_calls) }),
        submit: (x, v) =>
          call(
            api.PATCH("/v1/tenants/{tenant_id}", {
              params: { path: { tenant_id: x.id } },
              body: { plan: str(v, "plan"), max_concurrent_calls: int(v, "max_concurrent_calls") },
            }),
          ),
      }}
      rowActions={(x, reload) =>
        x.status === "active" ? (
          <ConfirmButton
            label={t("tenant.suspend")}
            confirmLabel={t("tenant.suspend_confirm", { name: x.name })}
            onError={setError}
            onConfirm={() => setStatus(x, "suspended", reload)}
          />
        ) : (
          <button type="button" onClick={() => setStatus(x, "active", reload).catch((e: ApiError) => setError(e))}>
            {t("tenant.activate")}
          </button>
        )
      }
    >
      <p class="muted">{t("tenant.intro")}</p>
      <ErrorNotice error={error} />
    </ResourcePage>
  );
}

export function Plans(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const numbers: FieldSpec[] = [
    { name: "description", label: "plan.description" },
    { name: "max_extensions", label: "plan.max_extensions", type: "number", min: 1, required: true },
    { name: "max_concurrent_calls", label: "plan.max_calls", type: "number", min: 1, required: true },
    { name: "quota_gb", label: "plan.quota_gb", type: "number", min: 0, required: true },
  ];
  const quota = (gb: string): number => Math.round(Number.parseFloat(gb.replace(",", ".") || "0") * GB);
  return (
    <ResourcePage<Schemas["PlanOut"]>
      noun="noun.plan"
      caption="nav.plans"
      load={() => call(api.GET("/v1/plans")).then((r) => r.items)}
      rowKey={(p) => p.name}
      columns={[
        { key: "name", label: "plan.name", cell: (p) => p.name },
        { key: "desc", label: "plan.description", cell: (p) => p.description },
        { key: "ext", label: "plan.max_extensions", numeric: true, cell: (p) => fmt.num(p.max_extensions) },
        { key: "calls", label: "plan.max_calls", numeric: true, cell: (p) => fmt.num(p.max_concurrent_calls) },
        { key: "quota", label: "plan.quota", numeric: true, cell: (p) => fmt.bytes(p.recording_quota_bytes) },
        { key: "tenants", label: "plan.tenants", numeric: true, cell: (p) => fmt.num(p.tenant_count) },
      ]}
      create={{
        fields: [{ name: "name", label: "plan.name", required: true }, ...numbers],
        initial: { name: "", description: "", max_extensions: "10", max_concurrent_calls: "10", quota_gb: "5" },
        submit: (v) =>
          call(
            api.POST("/v1/plans", {
              body: {
                name: str(v, "name"),
                description: str(v, "description"),
                max_extensions: int(v, "max_extensions"),
                max_concurrent_calls: int(v, "max_concurrent_calls"),
                recording_quota_bytes: quota(str(v, "quota_gb")),
              },
            }),
          ),
      }}
      edit={{
        fields: () => numbers,
        initial: (p) => ({
          description: p.description,
          max_extensions: String(p.max_extensions),
          max_concurrent_calls: String(p.max_concurrent_calls),
          quota_gb: String(p.recording_quota_bytes / GB),
        }),
        submit: (p, v) =>
          call(
            api.PATCH("/v1/plans/{name}", {
              params: { path: { name: p.name } },
              body: {
                description: str(v, "description"),
                max_extensions: int(v, "max_extensions"),
                max_concurrent_calls: int(v, "max_concurrent_calls"),
                recording_quota_bytes: quota(str(v, "quota_gb")),
              },
            }),
          ),
      }}
      remove={(p) => call(api.DELETE("/v1/plans/{name}", { params: { path: { name: p.name } } }))}
    >
      <p class="muted">{t("plan.intro")}</p>
    </ResourcePage>
  );
}

type EdgeRow = Schemas["EdgeOut"] & { health: Schemas["EdgeHealthOut"] | null };

/** The edges and what each last reported with its events (version, calls now, config pull). */
async function edgesWithHealth(): Promise<EdgeRow[]> {
  const [edges, health] = await Promise.all([
    call(api.GET("/v1/edges")),
    call(api.GET("/v1/live/edges")).catch(() => ({ items: [] as Schemas["EdgeHealthOut"][] })),
  ]);
  const byId = new Map(health.items.map((h) => [h.edge_id, h]));
  return edges.items.map((e) => ({ ...e, health: byId.get(e.id) ?? null }));
}

export function Edges(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  return (
    <ResourcePage<EdgeRow>
      noun="noun.edge"
      caption="nav.edges"
      load={edgesWithHealth}
      rowKey={(e) => e.id}
      columns={[
        { key: "id", label: "edge.id", cell: (e) => e.id },
        {
          key: "tenants",
          label: "edge.tenants",
          cell: (e) => (e.tenants === null ? t("edge.all_tenants") : t("edge.n_tenants", { n: fmt.num(e.tenants.length) })),
        },
        { key: "version", label: "edge.version", cell: (e) => e.health?.version || "" },
        {
          key: "calls",
          label: "edge.calls_now",
          numeric: true,
          cell: (e) => (e.health?.calls_now === null || e.health?.calls_now === undefined ? "" : fmt.num(e.health.calls_now)),
        },
        { key: "pull", label: "edge.last_pull", cell: (e) => fmt.dateTime(e.health?.last_pull_at) },
        {
          key: "config",
          label: "edge.config_version",
          numeric: true,
          cell: (e) => (e.health?.snapshot_version === null || e.health?.snapshot_version === undefined ? "" : String(e.health.snapshot_version)),
        },
        {
          key: "reported",
          label: "edge.reported_at",
          cell: (e) => (e.health ? fmt.dateTime(e.health.reported_at) : <Badge kind="muted">{t("edge.never_reported")}</Badge>),
        },
        { key: "created", label: "common.created_at", cell: (e) => fmt.dateTime(e.created_at) },
      ]}
      create={{
        fields: [{ name: "id", label: "edge.id", required: true, hint: "edge.id_hint" }],
        initial: { id: "" },
        submit: (v) => call(api.POST("/v1/edges", { body: { id: str(v, "id") } })),
        after: (result, done) => (
          <ShownOnce title={t("edge.token_title")} value={(result as Schemas["EdgeCreated"]).credential} onDone={done} />
        ),
      }}
      remove={(e) => call(api.DELETE("/v1/edges/{edge_id}", { params: { path: { edge_id: e.id } } }))}
    >
      <p class="muted">{t("edge.intro")}</p>
    </ResourcePage>
  );
}
