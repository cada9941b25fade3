// The agent's own status (issue 16): ready, paused with a reason, or logged out of the queues.
// Shown to a logged-in user tied to an extension; the edges get the change with the snapshot.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { Badge, ErrorNotice, Field } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

type Status = Schemas["AgentStatusIn"]["status"];

export function AgentStatusControl(): JSX.Element | null {
  const { t } = useI18n();
  const { session, fmt } = useApp();
  const extension = session.me.user?.extension ?? "";
  const me = useLoad(
    () => (extension ? call(api.GET("/v1/agents/me")) : Promise.resolve(null)),
    [extension],
  );
  const reasons = useLoad(
    () => (extension ? call(api.GET("/v1/agents/pause-reasons")).then((r) => r.reasons) : Promise.resolve([])),
    [extension],
  );
  const choices = reasons.data ?? [];
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (!extension) return null;
  const current = me.data ?? null;
  const set = (status: Status): void => {
    setBusy(true);
    setError(null);
    call(api.PUT("/v1/agents/me/status", { body: { status, reason: status === "paused" ? reason.trim() : "" } }))
      .then(() => me.reload())
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e))))
      .finally(() => setBusy(false));
  };
  const kind = current?.status === "ready" ? "ok" : current?.status === "paused" ? "warn" : "muted";
  return (
    <section class="panel agent-status" aria-labelledby="agent-status-title">
      <h2 id="agent-status-title">{t("agentstatus.title")}</h2>
      <p role="status" data-status={current?.status ?? ""}>
        {current ? (
          <>
            {t("agentstatus.now", { extension })}{" "}
            <Badge kind={kind}>{codeLabel(t, "agent_status", current.status)}</Badge>
            {current.reason ? ` (${current.reason})` : ""}
            {current.since_iso ? ` ${t("agentstatus.since", { at: fmt.dateTime(current.since_iso) })}` : ""}
          </>
        ) : null}
      </p>
      <ErrorNotice error={me.error ?? error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set("paused");
        }}
      >
        <div class="fields">
          <Field
            spec={
              choices.length
                ? {
                    name: "reason",
                    label: "agentstatus.reason",
                    type: "select",
                    options: [{ value: "", label: t("agentstatus.choose") }, ...choices.map((c) => ({ value: c, label: c }))],
                  }
                : { name: "reason", label: "agentstatus.reason", hint: "agentstatus.reason_hint" }
            }
            value={reason}
            error={error?.fields["reason"]}
            onChange={(v) => setReason(String(v).slice(0, 64))}
          />
        </div>
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => set("ready")}>
            {t("agentstatus.ready")}
          </button>
          <button type="submit" disabled={busy}>
            {t("agentstatus.pause")}
          </button>
          <button type="button" disabled={busy} onClick={() => set("logged_out")}>
            {t("agentstatus.logout")}
          </button>
        </div>
      </form>
    </section>
  );
}
