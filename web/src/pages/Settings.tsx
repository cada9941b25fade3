// The tenant's own settings (PATCH /v1/tenants/{id}: what a tenant admin may change) and the
// language, kept in this browser.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../api/client";
import { ErrorNotice, FormPanel, Loading, Notice, bool, int, str, type FieldSpec } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { LANGS, codeLabel, useI18n } from "../i18n";

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export function Settings(props: { onTenant: (t: Schemas["TenantOut"]) => void }): JSX.Element {
  const { t, lang, setLang } = useI18n();
  const { session, fmt } = useApp();
  const tenantId = session.me.tenant_id ?? "";
  const tenant = useLoad(
    () => call(api.GET("/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenantId } } })),
    [tenantId],
  );
  const [saved, setSaved] = useState("");
  const fields: FieldSpec[] = [
    { name: "name", label: "settings.name", required: true },
    { name: "time_zone", label: "settings.time_zone", list: "tz-list", hint: "settings.time_zone_hint", required: true },
    { name: "recording_enabled", label: "settings.recording_enabled", type: "checkbox" },
    { name: "retention_days", label: "settings.retention_days", type: "number", min: 1, max: 3650, hint: "settings.retention_hint" },
    {
      name: "on_full",
      label: "settings.on_full",
      type: "select",
      options: ["delete_oldest", "stop_recording"].map((o) => ({ value: o, label: codeLabel(t, "on_full", o) })),
    },
    // enabling 1900 is the provider's decision (toll fraud, issue 14): a tenant admin may only turn it off
    ...(tenant.data?.outbound_policy.premium_1900
      ? [{ name: "premium_1900", label: "settings.premium_1900", type: "checkbox", hint: "settings.premium_1900_hint" } as FieldSpec]
      : []),
    { name: "password_rotation_months", label: "settings.rotation_months", type: "number", min: 1, max: 24 },
    { name: "default_caller_id", label: "settings.default_caller_id", type: "tel" },
  ];
  const x = tenant.data;
  return (
    <>
      <section class="panel" aria-labelledby="lang-title">
        <h2 id="lang-title">{t("settings.language")}</h2>
        <fieldset>
          <legend>{t("settings.language_hint")}</legend>
          {LANGS.map((l) => (
            <label key={l} class="radio">
              <input type="radio" name="lang" value={l} checked={lang === l} onChange={() => setLang(l)} />{" "}
              <span lang={l}>{l === "vi" ? "Tiếng Việt" : "English"}</span>
            </label>
          ))}
        </fieldset>
      </section>
      <ErrorNotice error={tenant.error} />
      {saved ? <Notice kind="ok">{saved}</Notice> : null}
      {x ? (
        <>
          <section class="panel" aria-labelledby="plan-title">
            <h2 id="plan-title">{t("settings.plan")}</h2>
            <ul class="facts">
              <li>
                {t("settings.plan_name")}: <strong>{x.plan}</strong>
              </li>
              <li>{t("settings.limits", { ext: fmt.num(x.max_extensions), used: fmt.num(x.extension_count), calls: fmt.num(x.max_concurrent_calls) })}</li>
              <li>
                {t("settings.domain")}: <code>{x.domain}</code>
              </li>
              <li>{t("settings.quota", { q: fmt.bytes(x.recording.quota_bytes) })}</li>
              {x.outbound_policy.premium_1900 ? null : <li>{t("settings.premium_1900_off")}</li>}
            </ul>
          </section>
          <FormPanel
            key={x.updated_at}
            title={t("settings.tenant")}
            fields={fields}
            submitLabel="common.save"
            initial={{
              name: x.name,
              time_zone: x.time_zone,
              recording_enabled: x.recording.enabled,
              retention_days: String(x.recording.retention_days),
              on_full: x.recording.on_full,
              premium_1900: x.outbound_policy.premium_1900,
              password_rotation_months: String(x.password_rotation_months),
              default_caller_id: x.default_caller_id,
            }}
            onSubmit={async (v) => {
              setSaved("");
              const out = await call(
                api.PATCH("/v1/tenants/{tenant_id}", {
                  params: { path: { tenant_id: tenantId } },
                  body: {
                    name: str(v, "name"),
                    time_zone: str(v, "time_zone"),
                    recording: {
                      enabled: bool(v, "recording_enabled"),
                      retention_days: int(v, "retention_days"),
                      on_full: str(v, "on_full") === "stop_recording" ? "stop_recording" : "delete_oldest",
                    },
                    outbound_policy: { premium_1900: bool(v, "premium_1900") },
                    password_rotation_months: int(v, "password_rotation_months"),
                    default_caller_id: str(v, "default_caller_id"),
                  },
                }),
              );
              props.onTenant(out);
              tenant.reload();
              setSaved(t("settings.saved"));
            }}
          >
            <datalist id="tz-list">
              {zones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </FormPanel>
        </>
      ) : tenant.loading ? (
        <Loading />
      ) : null}
    </>
  );
}
