// Branches, numbers (DIDs), carrier trunks (password write-only), block list (F10), desk phones.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { ErrorNotice, Notice, bool, int, str, type FieldSpec, type Option, type Values } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

const list = (s: string): string[] =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

// --- branches -------------------------------------------------------------------------------------
export function Branches(): JSX.Element {
  const { can, fmt } = useApp();
  const admin = can("POST /v1/branches");
  const fields: FieldSpec[] = [
    { name: "name", label: "branch.name", required: true },
    { name: "prefix", label: "branch.prefix", required: true, inputMode: "numeric", pattern: "[1-9][0-9]{0,3}", hint: "branch.prefix_hint" },
  ];
  return (
    <ResourcePage<Schemas["BranchOut"]>
      noun="noun.branch"
      caption="nav.branches"
      load={() => call(api.GET("/v1/branches")).then((r) => r.items)}
      rowKey={(b) => b.name}
      columns={[
        { key: "name", label: "branch.name", cell: (b) => b.name },
        { key: "prefix", label: "branch.prefix", cell: (b) => b.prefix },
        { key: "count", label: "branch.extensions", numeric: true, cell: (b) => fmt.num(b.extension_count) },
      ]}
      create={
        admin
          ? {
              fields,
              initial: { name: "", prefix: "" },
              submit: (v) => call(api.POST("/v1/branches", { body: { name: str(v, "name"), prefix: str(v, "prefix") } })),
            }
          : undefined
      }
      edit={
        admin
          ? {
              fields: () => fields,
              initial: (b) => ({ name: b.name, prefix: b.prefix }),
              submit: (b, v) =>
                call(
                  api.PATCH("/v1/branches/{branch_id}", {
                    params: { path: { branch_id: b.id } },
                    body: { name: str(v, "name"), prefix: str(v, "prefix") },
                  }),
                ),
            }
          : undefined
      }
      remove={admin ? (b) => call(api.DELETE("/v1/branches/{branch_id}", { params: { path: { branch_id: b.id } } })) : undefined}
    />
  );
}

// --- numbers --------------------------------------------------------------------------------------
export function Numbers(): JSX.Element {
  const { t } = useI18n();
  const { can } = useApp();
  const admin = can("POST /v1/numbers");
  const trunks = useLoad(
    () => (can("GET /v1/trunks") ? call(api.GET("/v1/trunks")).then((r) => r.items) : Promise.resolve([])),
    [],
  );
  const exts = useLoad(
    () => (admin ? call(api.GET("/v1/extensions")).then((r) => r.items) : Promise.resolve([])),
    [],
  );
  const trunkOptions: Option[] = (trunks.data ?? []).map((tr) => ({ value: tr.id, label: tr.name }));
  const routeOptions: Option[] = [
    { value: "", label: t("number.no_route") },
    ...(exts.data ?? []).map((e) => ({ value: e.number, label: `${e.number} ${e.display_name}`.trim() })),
  ];
  const trunkName = (id: string): string => trunks.data?.find((x) => x.id === id)?.name ?? id;
  const editFields: FieldSpec[] = [
    { name: "trunk_id", label: "number.trunk", type: "select", options: trunkOptions, required: true },
    { name: "route_to", label: "number.route_to", type: "select", options: routeOptions },
    { name: "label", label: "number.label" },
  ];
  return (
    <ResourcePage<Schemas["NumberOut"]>
      noun="noun.number"
      caption="nav.numbers"
      deps={[trunks.data?.length ?? 0]}
      load={() => call(api.GET("/v1/numbers")).then((r) => r.items)}
      rowKey={(n) => n.number}
      columns={[
        { key: "number", label: "number.number", cell: (n) => n.number },
        { key: "kind", label: "number.kind", cell: (n) => codeLabel(t, "kind", n.kind) },
        { key: "trunk", label: "number.trunk", cell: (n) => trunkName(n.trunk_id) },
        { key: "route", label: "number.route_to", cell: (n) => n.route_to },
        { key: "label", label: "number.label", cell: (n) => n.label },
      ]}
      create={
        admin
          ? {
              fields: [
                { name: "number", label: "number.number", required: true, type: "tel", hint: "number.number_hint" },
                ...editFields,
              ],
              initial: { number: "", trunk_id: trunkOptions[0]?.value ?? "", route_to: "", label: "" },
              submit: (v) =>
                call(
                  api.POST("/v1/numbers", {
                    body: {
                      number: str(v, "number"),
                      trunk_id: str(v, "trunk_id"),
                      route_to: str(v, "route_to"),
                      label: str(v, "label"),
                    },
                  }),
                ),
            }
          : undefined
      }
      edit={
        admin
          ? {
              fields: () => editFields,
              initial: (n) => ({ trunk_id: n.trunk_id, route_to: n.route_to, label: n.label }),
              submit: (n, v) =>
                call(
                  api.PATCH("/v1/numbers/{number}", {
                    params: { path: { number: n.number } },
                    body: { trunk_id: str(v, "trunk_id"), route_to: str(v, "route_to"), label: str(v, "label") },
                  }),
                ),
            }
          : undefined
      }
      remove={admin ? (n) => call(api.DELETE("/v1/numbers/{number}", { params: { path: { number: n.number } } })) : undefined}
    >
      {admin && trunks.data && trunks.data.length === 0 ? <Notice kind="info">{t("number.needs_trunk")}</Notice> : null}
    </ResourcePage>
  );
}

// --- trunks ---------------------------------------------------------------------------------------
type Trunk = Schemas["TrunkOut"];

function trunkFields(t: ReturnType<typeof useI18n>["t"], editing: boolean): FieldSpec[] {
  return [
    { name: "name", label: "trunk.name", required: true },
    { name: "host", label: "trunk.host", required: true },
    { name: "port", label: "trunk.port", type: "number", min: 1, max: 65535 },
    {
      name: "transport",
      label: "trunk.transport",
      type: "select",
      options: ["udp", "tcp", "tls"].map((x) => ({ value: x, label: x.toUpperCase() })),
    },
    {
      name: "auth",
      label: "trunk.auth",
      type: "select",
      options: ["ip", "register"].map((x) => ({ value: x, label: codeLabel(t, "trunk_auth", x) })),
    },
    { name: "username", label: "trunk.username" },
    {
      name: "password",
      label: editing ? "trunk.new_password" : "trunk.password",
      type: "password",
      autoComplete: "new-password",
      hint: editing ? "trunk.password_keep" : "trunk.password_hint",
    },
    { name: "ips", label: "trunk.ips", hint: "trunk.ips_hint" },
    { name: "channels", label: "trunk.channels", type: "number", min: 1 },
  ];
}

function trunkBody(v: Values): Schemas["TrunkUpdate"] {
  const body: Schemas["TrunkUpdate"] = {
    name: str(v, "name"),
    host: str(v, "host"),
    port: int(v, "port") || 5060,
    transport: (["udp", "tcp", "tls"] as const).find((x) => x === str(v, "transport")) ?? "udp",
    auth: str(v, "auth") === "register" ? "register" : "ip",
    username: str(v, "username"),
    ips: list(str(v, "ips")),
  };
  if (str(v, "channels")) body.channels = int(v, "channels");
  const password = typeof v.password === "string" ? v.password : "";
  if (password) body.password = password; // write-only: empty keeps the stored one
  return body;
}

export function Trunks(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  return (
    <ResourcePage<Trunk>
      noun="noun.trunk"
      caption="nav.trunks"
      load={() => call(api.GET("/v1/trunks")).then((r) => r.items)}
      rowKey={(x) => x.name}
      columns={[
        { key: "name", label: "trunk.name", cell: (x) => x.name },
        { key: "host", label: "trunk.host", cell: (x) => `${x.host}:${x.port} (${x.transport.toUpperCase()})` },
        { key: "auth", label: "trunk.auth", cell: (x) => codeLabel(t, "trunk_auth", x.auth) },
        { key: "user", label: "trunk.username", cell: (x) => x.username },
        { key: "pw", label: "trunk.password", cell: (x) => (x.has_password ? t("trunk.password_set") : t("trunk.password_none")) },
        { key: "ips", label: "trunk.ips", cell: (x) => x.ips.join(", ") },
        { key: "channels", label: "trunk.channels", numeric: true, cell: (x) => fmt.num(x.channels) },
        { key: "numbers", label: "trunk.numbers", numeric: true, cell: (x) => fmt.num(x.number_count) },
      ]}
      create={{
        fields: trunkFields(t, false),
        initial: { name: "", host: "", port: "5060", transport: "udp", auth: "ip", username: "", password: "", ips: "", channels: "" },
        submit: (v) => call(api.POST("/v1/trunks", { body: trunkBody(v) as Schemas["TrunkCreate"] })),
      }}
      edit={{
        fields: () => trunkFields(t, true),
        initial: (x) => ({
          name: x.name,
          host: x.host,
          port: String(x.port),
          transport: x.transport,
          auth: x.auth,
          username: x.username,
          password: "",
          ips: x.ips.join(", "),
          channels: String(x.channels),
        }),
        submit: (x, v) =>
          call(api.PATCH("/v1/trunks/{trunk_id}", { params: { path: { trunk_id: x.id } }, body: trunkBody(v) })),
      }}
      remove={(x) => call(api.DELETE("/v1/trunks/{trunk_id}", { params: { path: { trunk_id: x.id } } }))}
    >
      <p class="muted">{t("trunk.intro")}</p>
    </ResourcePage>
  );
}

// --- block list -----------------------------------------------------------------------------------
export function Blocklist(): JSX.Element {
  const { t } = useI18n();
  const { can } = useApp();
  const admin = can("POST /v1/blocklist");
  const fields: FieldSpec[] = [
    { name: "pattern", label: "block.pattern", required: true, hint: "block.pattern_hint" },
    {
      name: "direction",
      label: "block.direction",
      type: "select",
      options: ["both", "in", "out"].map((d) => ({ value: d, label: codeLabel(t, "block_dir", d) })),
    },
    { name: "extension", label: "block.extension", inputMode: "numeric", hint: "block.extension_hint" },
    { name: "note", label: "block.note" },
  ];
  const body = (v: Values): Schemas["BlockUpdate"] => ({
    pattern: str(v, "pattern"),
    direction: (["in", "out", "both"] as const).find((d) => d === str(v, "direction")) ?? "both",
    extension: str(v, "extension"),
    note: str(v, "note"),
  });
  return (
    <ResourcePage<Schemas["BlockOut"]>
      noun="noun.block"
      caption="nav.blocklist"
      load={() => call(api.GET("/v1/blocklist")).then((r) => r.items)}
      rowKey={(b) => b.pattern}
      columns={[
        { key: "pattern", label: "block.pattern", cell: (b) => b.pattern },
        { key: "direction", label: "block.direction", cell: (b) => codeLabel(t, "block_dir", b.direction) },
        { key: "extension", label: "block.extension", cell: (b) => b.extension || t("block.all_extensions") },
        { key: "note", label: "block.note", cell: (b) => b.note },
      ]}
      create={
        admin
          ? {
              fields,
              initial: { pattern: "", direction: "both", extension: "", note: "" },
              submit: (v) => call(api.POST("/v1/blocklist", { body: body(v) as Schemas["BlockCreate"] })),
            }
          : undefined
      }
      edit={
        admin
          ? {
              fields: () => fields,
              initial: (b) => ({ pattern: b.pattern, direction: b.direction, extension: b.extension, note: b.note }),
              submit: (b, v) =>
                call(api.PATCH("/v1/blocklist/{rule_id}", { params: { path: { rule_id: b.id } }, body: body(v) })),
            }
          : undefined
      }
      remove={admin ? (b) => call(api.DELETE("/v1/blocklist/{rule_id}", { params: { path: { rule_id: b.id } } })) : undefined}
    />
  );
}

// --- devices --------------------------------------------------------------------------------------
export function Devices(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const exts = useLoad(() => call(api.GET("/v1/extensions")).then((r) => r.items), []);
  const [url, setUrl] = useState<{ id: string; out: Schemas["DeviceTokenOut"] } | null>(null);
  // a config key is shown once, when the server makes it (with the first URL, or a new key)
  const [key, setKey] = useState<Schemas["DeviceKeyOut"] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const extOptions: Option[] = (exts.data ?? []).map((e) => ({ value: e.number, label: `${e.number} ${e.display_name}`.trim() }));
  const common: FieldSpec[] = [
    { name: "extension", label: "device.extension", type: "select", options: extOptions, required: true },
    { name: "model", label: "device.model", required: true },
    { name: "mac", label: "device.mac", required: true, hint: "device.mac_hint" },
    { name: "label", label: "device.label" },
    { name: "encrypt_config", label: "device.encrypt_config", type: "checkbox", hint: "device.encrypt_config_hint" },
  ];
  const newUrl = async (id: string): Promise<void> => {
    setError(null);
    try {
      const out = await call(api.POST("/v1/devices/{device_id}/provisioning", { params: { path: { device_id: id } } }));
      setUrl({ id, out });
      setKey(out.config_key && out.config_key_setting ? { config_key: out.config_key, config_key_setting: out.config_key_setting } : null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    }
  };
  const newKey = async (id: string): Promise<void> => {
    setError(null);
    try {
      setUrl(null);
      setKey(await call(api.POST("/v1/devices/{device_id}/config-key", { params: { path: { device_id: id } } })));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    }
  };
  return (
    <ResourcePage<Schemas["DeviceOut"]>
      noun="noun.device"
      caption="nav.devices"
      load={() => call(api.GET("/v1/devices")).then((r) => r.items)}
      rowKey={(d) => d.mac}
      columns={[
        { key: "mac", label: "device.mac", cell: (d) => d.mac },
        { key: "vendor", label: "device.vendor", cell: (d) => `${codeLabel(t, "vendor", d.vendor)} ${d.model}` },
        { key: "extension", label: "device.extension", cell: (d) => d.extension },
        { key: "label", label: "device.label", cell: (d) => d.label },
        { key: "encrypt_config", label: "device.encrypt_config", cell: (d) => t(d.encrypt_config ? "device.encrypted" : "device.plain") },
        {
          key: "state",
          label: "device.state",
          cell: (d) =>
            d.needs_reprovision
              ? t("device.needs_reprovision")
              : d.provisioned_at
                ? t("device.provisioned_at", { at: fmt.dateTime(d.provisioned_at) })
                : t("device.never"),
        },
      ]}
      create={{
        fields: [
          ...common.slice(0, 1),
          {
            name: "vendor",
            label: "device.vendor",
            type: "select",
            options: ["yealink", "grandstream", "fanvil"].map((v) => ({ value: v, label: codeLabel(t, "vendor", v) })),
          },
          ...common.slice(1),
        ],
        initial: { extension: extOptions[0]?.value ?? "", vendor: "yealink", model: "", mac: "", label: "", encrypt_config: true },
        submit: (v) =>
          call(
            api.POST("/v1/devices", {
              body: {
                extension: str(v, "extension"),
                vendor: (["yealink", "grandstream", "fanvil"] as const).find((x) => x === str(v, "vendor")) ?? "yealink",
                model: str(v, "model"),
                mac: str(v, "mac"),
                label: str(v, "label"),
                // Fanvil has no encrypted config format: the server refuses it (config_encryption_unsupported)
                encrypt_config: str(v, "vendor") !== "fanvil" && bool(v, "encrypt_config"),
              },
            }),
          ),
      }}
      edit={{
        fields: () => common,
        initial: (d) => ({ extension: d.extension, model: d.model, mac: d.mac, label: d.label, encrypt_config: d.encrypt_config }),
        submit: (d, v) =>
          call(
            api.PATCH("/v1/devices/{device_id}", {
              params: { path: { device_id: d.id } },
              body: {
                extension: str(v, "extension"),
                model: str(v, "model"),
                mac: str(v, "mac"),
                label: str(v, "label"),
                encrypt_config: bool(v, "encrypt_config"),
              },
            }),
          ),
      }}
      remove={(d) => call(api.DELETE("/v1/devices/{device_id}", { params: { path: { device_id: d.id } } }))}
      rowActions={(d) => (
        <>
          <button type="button" aria-label={`${t("device.config_url")} ${d.mac}`} onClick={() => newUrl(d.id)}>
            {t("device.config_url")}
          </button>
          {d.encrypt_config ? (
            <button type="button" aria-label={`${t("device.new_key")} ${d.mac}`} onClick={() => newKey(d.id)}>
              {t("device.new_key")}
            </button>
          ) : null}
        </>
      )}
    >
      <p class="muted">{t("device.intro")}</p>
      <ErrorNotice error={error} />
      {url ? (
        <Notice kind="ok">
          {t("device.url_ready")} <code class="secret-value">{url.out.absolute_url}</code>{" "}
          <button type="button" onClick={() => setUrl(null)}>
            {t("common.close")}
          </button>
        </Notice>
      ) : null}
      {key ? (
        <Notice kind="ok">
          {t("device.key_ready", { setting: key.config_key_setting })} <code class="secret-value">{key.config_key}</code>{" "}
          <button type="button" onClick={() => setKey(null)}>
            {t("common.close")}
          </button>
        </Notice>
      ) : null}
    </ResourcePage>
  );
}
