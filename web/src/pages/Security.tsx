// Security (issue 14 item 7): the edge firewall's bans and holds that concern the company, in
// words an admin understands, and the lift of those of its own sources (a held account, or a
// ban of one of its own networks). Bans of strangers are shown, not liftable (the API's rule).
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { ConfirmButton, ErrorNotice, Notice } from "../components/ui";
import { useApp } from "../context";
import { codeLabel, hasKey, useI18n } from "../i18n";

type Ban = Schemas["BanOut"];

const iso = (epoch: number): string => new Date(epoch * 1000).toISOString();

export function Security(): JSX.Element {
  const { t } = useI18n();
  const { can, fmt } = useApp();
  const admin = can("DELETE /v1/security/bans/{ban_id}");
  const [error, setError] = useState<ApiError | null>(null);
  const [flash, setFlash] = useState("");
  const why = (b: Ban): string => {
    const key = `ban_reason.${b.reason}`;
    return hasKey(key) ? t(key, { evidence: b.evidence || "—" }) : b.text;
  };
  const who = (b: Ban): string =>
    b.kind === "hold"
      ? t("ban.account_from", { account: b.account.split("/").pop() ?? b.account, network: b.network || b.source })
      : b.source; // an account is "<domain>/<extension>" as the edge names it
  const state = (b: Ban): string =>
    b.lifted_at !== null ? t("ban.state_lifted") : b.active ? t("ban.state_active") : t("ban.state_ended");
  return (
    <ResourcePage<Ban>
      noun="noun.ban"
      caption="nav.security"
      load={() => call(api.GET("/v1/security/bans")).then((r) => r.items)}
      deps={[flash]}
      rowKey={(b) => b.id}
      columns={[
        { key: "kind", label: "ban.kind", cell: (b) => codeLabel(t, "ban_kind", b.kind) },
        { key: "who", label: "ban.who", cell: who },
        { key: "why", label: "ban.why", cell: why },
        { key: "since", label: "ban.since", cell: (b) => fmt.dateTime(iso(b.since)) },
        { key: "until", label: "ban.until", cell: (b) => fmt.dateTime(iso(b.until)) },
        { key: "state", label: "ban.state", cell: state },
      ]}
      rowActions={(b, reload) =>
        admin && b.liftable && b.active ? (
          <ConfirmButton
            label={t("ban.lift")}
            confirmLabel={t("ban.confirm_lift", { who: who(b) })}
            onError={setError}
            onConfirm={async () => {
              setError(null);
              await call(api.DELETE("/v1/security/bans/{ban_id}", { params: { path: { ban_id: b.id } } }));
              setFlash(t("ban.lifted", { who: who(b) }));
              reload();
            }}
          />
        ) : null
      }
    >
      <p class="muted">{t("ban.intro")}</p>
      {flash ? <Notice kind="ok">{flash}</Notice> : null}
      <ErrorNotice error={error} />
    </ResourcePage>
  );
}
