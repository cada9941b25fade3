// Extensions: list, create, change (pickup group, outbound rights, branch), the provisioning
// QR (never the password: the QR holds a one-time link the softphone redeems itself), rotate.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { ConfirmButton, ErrorNotice, Notice, QrCode, str, type FieldSpec, type Values } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

type Ext = Schemas["ExtensionOut"];
const OUTBOUND = ["national", "internal_only"] as const;

function Provisioning(props: { number: string; link: Schemas["ProvisioningLinkOut"]; onClose: () => void }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  return (
    <section class="panel provisioning" aria-labelledby="prov-title">
      <h2 id="prov-title">{t("ext.qr_title", { number: props.number })}</h2>
      <div class="qr-box">
        <QrCode text={props.link.qr_payload} label={t("ext.qr_label", { number: props.number })} />
        <div>
          <p>{t("ext.qr_how")}</p>
          <p>{t("ext.qr_expires", { at: fmt.dateTime(props.link.expires_at) })}</p>
          <p class="muted">{t("ext.qr_no_password")}</p>
          <button type="button" onClick={props.onClose}>
            {t("common.close")}
          </button>
        </div>
      </div>
    </section>
  );
}

export function Extensions(): JSX.Element {
  const { t } = useI18n();
  const { fmt, can } = useApp();
  const admin = can("POST /v1/extensions");
  const branches = useLoad(
    () => (can("GET /v1/branches") ? call(api.GET("/v1/branches")).then((b) => b.items) : Promise.resolve([])),
    [],
  );
  const [prov, setProv] = useState<{ number: string; link: Schemas["ProvisioningLinkOut"] } | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const branchName = (id: string): string => branches.data?.find((b) => b.id === id)?.name ?? id;
  const branchOptions = [
    { value: "", label: t("ext.no_branch") },
    ...(branches.data ?? []).map((b) => ({ value: b.id, label: `${b.name} (${b.prefix})` })),
  ];
  const outboundOptions = OUTBOUND.map((o) => ({ value: o, label: codeLabel(t, "outbound", o) }));
  const editable: FieldSpec[] = [
    { name: "display_name", label: "ext.display_name" },
    { name: "branch_id", label: "ext.branch", type: "select", options: branchOptions },
    { name: "pickup_group", label: "ext.pickup_group", pattern: "[A-Za-z0-9_\\-]{0,32}", hint: "ext.pickup_hint" },
    { name: "outbound", label: "ext.outbound", type: "select", options: outboundOptions },
  ];
  const body = (v: Values): Schemas["ExtensionUpdate"] => ({
    display_name: str(v, "display_name"),
    branch_id: str(v, "branch_id"),
    pickup_group: str(v, "pickup_group"),
    outbound: str(v, "outbound") === "internal_only" ? "internal_only" : "national",
  });
  const showQr = async (number: string): Promise<void> => {
    setError(null);
    setMessage("");
    try {
      const link = await call(
        api.POST("/v1/extensions/{number}/provisioning", { params: { path: { number } } }),
      );
      setProv({ number, link });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    }
  };
  return (
    <ResourcePage<Ext>
      noun="noun.extension"
      caption="nav.extensions"
      load={() => call(api.GET("/v1/extensions")).then((r) => r.items)}
      rowKey={(e) => e.number}
      columns={[
        { key: "number", label: "ext.number", cell: (e) => e.number },
        { key: "name", label: "ext.display_name", cell: (e) => e.display_name },
        { key: "branch", label: "ext.branch", cell: (e) => (e.branch_id ? branchName(e.branch_id) : "") },
        { key: "pickup", label: "ext.pickup_group", cell: (e) => e.pickup_group },
        { key: "outbound", label: "ext.outbound", cell: (e) => codeLabel(t, "outbound", e.outbound) },
        ...(admin
          ? [
              {
                key: "rotated",
                label: "ext.password_rotated" as const,
                cell: (e: Ext) => fmt.dateTime(e.password_rotated_at),
              },
            ]
          : []),
      ]}
      create={
        admin
          ? {
              fields: [
                {
                  name: "number",
                  label: "ext.number",
                  required: true,
                  inputMode: "numeric",
                  pattern: "[1-9][0-9]{1,5}",
                  hint: "ext.number_hint",
                },
                ...editable,
              ],
              initial: { number: "", display_name: "", branch_id: "", pickup_group: "", outbound: "national" },
              submit: (v) =>
                call(api.POST("/v1/extensions", { body: { ...body(v), number: str(v, "number") } as Schemas["ExtensionCreate"] })),
            }
          : undefined
      }
      edit={
        admin
          ? {
              fields: () => editable,
              initial: (e) => ({
                display_name: e.display_name,
                branch_id: e.branch_id,
                pickup_group: e.pickup_group,
                outbound: e.outbound,
              }),
              submit: (e, v) =>
                call(api.PATCH("/v1/extensions/{number}", { params: { path: { number: e.number } }, body: body(v) })),
            }
          : undefined
      }
      remove={
        admin
          ? (e) => call(api.DELETE("/v1/extensions/{number}", { params: { path: { number: e.number } } }))
          : undefined
      }
      rowActions={
        admin
          ? (e) => (
              <>
                <button type="button" aria-label={`${t("ext.qr")} ${e.number}`} onClick={() => showQr(e.number)}>
                  {t("ext.qr")}
                </button>
                <ConfirmButton
                  label={t("ext.rotate")}
                  confirmLabel={t("ext.rotate_confirm", { number: e.number })}
                  onError={setError}
                  onConfirm={async () => {
                    setMessage("");
                    const r = await call(
                      api.POST("/v1/extensions/{number}/rotate-password", { params: { path: { number: e.number } } }),
                    );
                    setMessage(t("ext.rotated", { number: e.number, devices: fmt.num(r.devices_marked) }));
                  }}
                />
              </>
            )
          : undefined
      }
    >
      {admin ? <p class="muted">{t("ext.intro")}</p> : null}
      {message ? <Notice kind="ok">{message}</Notice> : null}
      <ErrorNotice error={error} />
      {prov ? <Provisioning number={prov.number} link={prov.link} onClose={() => setProv(null)} /> : null}
    </ResourcePage>
  );
}
