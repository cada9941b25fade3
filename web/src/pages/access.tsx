// Users and roles (tenant users, or the provider's operators), and API keys (shown once).
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Role, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { ConfirmButton, ErrorNotice, Notice, ShownOnce, str, type FieldSpec, type Values } from "../components/ui";
import { useApp } from "../context";
import { codeLabel, useI18n } from "../i18n";

const TENANT_ROLES: Role[] = ["tenant_admin", "supervisor", "agent"];

export function Users(): JSX.Element {
  const { t } = useI18n();
  const { fmt, session } = useApp();
  const provider = session.role === "provider_admin";
  const roles: Role[] = provider ? ["provider_admin"] : TENANT_ROLES;
  const roleField: FieldSpec = {
    name: "role",
    label: "user.role",
    type: "select",
    options: roles.map((r) => ({ value: r, label: codeLabel(t, "role", r) })),
  };
  const extField: FieldSpec[] = provider
    ? []
    : [{ name: "extension", label: "user.extension", inputMode: "numeric", hint: "user.extension_hint" }];
  const roleOf = (v: Values): Role => roles.find((r) => r === str(v, "role")) ?? roles[roles.length - 1] ?? "agent";
  const [message, setMessage] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <ResourcePage<Schemas["UserOut"]>
      noun={provider ? "noun.operator" : "noun.user"}
      caption={provider ? "nav.operators" : "nav.users"}
      load={() => call(api.GET("/v1/users")).then((r) => r.items)}
      rowKey={(u) => u.email}
      columns={[
        { key: "email", label: "user.email", cell: (u) => u.email },
        { key: "name", label: "user.name", cell: (u) => u.name },
        { key: "role", label: "user.role", cell: (u) => codeLabel(t, "role", u.role) },
        ...(provider ? [] : [{ key: "ext", label: "user.extension" as const, cell: (u: Schemas["UserOut"]) => u.extension }]),
        { key: "status", label: "user.status", cell: (u) => codeLabel(t, "status", u.status) },
        { key: "totp", label: "user.totp", cell: (u) => (u.totp_enabled ? t("user.totp_on") : t("user.totp_off")) },
        { key: "created", label: "common.created_at", cell: (u) => fmt.dateTime(u.created_at) },
      ]}
      rowActions={(u, reload) =>
        u.totp_enabled && u.id !== session.me.sub ? (
          <ConfirmButton
            label={t("user.totp_reset")}
            confirmLabel={t("user.totp_reset_confirm", { email: u.email })}
            onError={setError}
            onConfirm={async () => {
              setMessage("");
              await call(
                api.PATCH("/v1/users/{user_id}", { params: { path: { user_id: u.id } }, body: { totp_reset: true } }),
              );
              setMessage(t("user.totp_reset_done", { email: u.email }));
              reload();
            }}
          />
        ) : null
      }
      create={{
        fields: [
          { name: "email", label: "user.email", type: "email", required: true },
          { name: "name", label: "user.name" },
          roleField,
          { name: "password", label: "user.password", type: "password", required: true, autoComplete: "new-password", hint: "user.password_hint" },
          ...extField,
        ],
        initial: { email: "", name: "", role: roles[roles.length - 1] ?? "agent", password: "", extension: "" },
        submit: (v) =>
          call(
            api.POST("/v1/users", {
              body: {
                email: str(v, "email"),
                name: str(v, "name"),
                role: roleOf(v),
                password: typeof v.password === "string" ? v.password : "",
                ...(provider ? {} : { extension: str(v, "extension") }),
              },
            }),
          ),
      }}
      edit={{
        fields: (u): FieldSpec[] => {
          const own = u.id === session.me.sub; // nobody demotes or disables themself (the API refuses too)
          const status: FieldSpec = {
            name: "status",
            label: "user.status",
            type: "select",
            options: ["active", "disabled"].map((s) => ({ value: s, label: codeLabel(t, "status", s) })),
          };
          const password: FieldSpec = {
            name: "password",
            label: "user.new_password",
            type: "password",
            autoComplete: "new-password",
            hint: "user.password_keep",
          };
          return [{ name: "name", label: "user.name" }, ...(own ? [] : [roleField]), ...extField, ...(own ? [] : [status]), password];
        },
        initial: (u) => ({ name: u.name, role: u.role, extension: u.extension, status: u.status, password: "" }),
        submit: (u, v) => {
          const body: Schemas["UserUpdate"] = { name: str(v, "name") };
          if (u.id !== session.me.sub) {
            body.role = roleOf(v);
            body.status = str(v, "status") === "disabled" ? "disabled" : "active";
          }
          if (!provider) body.extension = str(v, "extension");
          if (typeof v.password === "string" && v.password) body.password = v.password;
          return call(api.PATCH("/v1/users/{user_id}", { params: { path: { user_id: u.id } }, body }));
        },
      }}
      remove={(u) => call(api.DELETE("/v1/users/{user_id}", { params: { path: { user_id: u.id } } }))}
    >
      <p class="muted">{provider ? t("user.intro_provider") : t("user.intro")}</p>
      {message ? <Notice kind="ok">{message}</Notice> : null}
      <ErrorNotice error={error} />
    </ResourcePage>
  );
}

export function ApiKeys(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  return (
    <ResourcePage<Schemas["ApiKeyOut"]>
      noun="noun.api_key"
      caption="nav.api_keys"
      load={() => call(api.GET("/v1/api-keys")).then((r) => r.items)}
      rowKey={(k) => k.name}
      columns={[
        { key: "name", label: "key.name", cell: (k) => k.name },
        { key: "role", label: "user.role", cell: (k) => codeLabel(t, "role", k.role) },
        { key: "prefix", label: "key.prefix", cell: (k) => <code>{k.prefix}…</code> },
        { key: "created", label: "common.created_at", cell: (k) => fmt.dateTime(k.created_at) },
        { key: "used", label: "key.last_used", cell: (k) => (k.last_used_at ? fmt.dateTime(k.last_used_at) : t("key.never_used")) },
      ]}
      create={{
        fields: [
          { name: "name", label: "key.name", required: true },
          {
            name: "role",
            label: "user.role",
            type: "select",
            options: TENANT_ROLES.map((r) => ({ value: r, label: codeLabel(t, "role", r) })),
          },
        ],
        initial: { name: "", role: "supervisor" },
        submit: (v) =>
          call(
            api.POST("/v1/api-keys", {
              body: { name: str(v, "name"), role: TENANT_ROLES.find((r) => r === str(v, "role")) as Schemas["ApiKeyCreate"]["role"] },
            }),
          ),
        after: (result, done) => (
          <ShownOnce title={t("key.created_title")} value={(result as Schemas["ApiKeyCreated"]).key} onDone={done} />
        ),
      }}
      remove={(k) => call(api.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: k.id } } }))}
    >
      <p class="muted">{t("key.intro")}</p>
    </ResourcePage>
  );
}
