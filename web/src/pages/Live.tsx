// S5/CC3: who talks to whom right now, since when, through which trunk, on which edge, with
// each leg's audio quality (B3). The rows come and go with the live WebSocket's events (a call
// appears when it rings, goes when it ends), without reloading.
import type { JSX } from "preact";
import { Badge, ErrorNotice } from "../components/ui";
import { useApp } from "../context";
import { codeLabel, useI18n } from "../i18n";
import { useLive, useNow, type LiveCall } from "../live";

type Leg = LiveCall["legs"][number];

const STATE_KIND = { ringing: "warn", talking: "ok", held: "muted" } as const;

function Quality(props: { leg: Leg }): JSX.Element | null {
  const { t } = useI18n();
  const { fmt } = useApp();
  const q = props.leg.quality;
  if (!q) return null;
  const parts = [
    q.mos !== null ? `${t("live.mos")} ${fmt.num(q.mos, 1)}` : "",
    `${t("live.jitter")} ${fmt.num(q.jitter_ms, 1)} ms`,
    q.rtt_ms !== null ? `${t("live.rtt")} ${fmt.num(q.rtt_ms)} ms` : "",
    `${t("live.lost")} ${fmt.num(q.packets_lost)}`,
  ].filter(Boolean);
  return (
    <li>
      <span class="muted">{props.leg.id}:</span> {parts.join(" · ")}{" "}
      {q.one_way_audio ? <Badge kind="error">{t("live.one_way")}</Badge> : null}
    </li>
  );
}

function since(now: number, iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.max(0, (now - t) / 1000);
}

export function Live(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const live = useLive();
  const now = useNow();
  const statusKind = live.status === "live" ? "ok" : live.status === "stopped" ? "error" : "warn";
  return (
    <div>
      <p class="muted">{t("live.intro")}</p>
      <p class="live-status" data-live-status={live.status}>
        <Badge kind={statusKind}>{t(`live.status.${live.status}`)}</Badge>{" "}
        <span role="status" aria-live="polite" class="live-count">
          {t("live.count", { n: fmt.num(live.calls.length) })}
        </span>
      </p>
      <ErrorNotice error={live.error} />
      {live.calls.length === 0 ? (
        <p class="empty">{t("live.none")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t("nav.live")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("live.parties")}</th>
                <th scope="col">{t("live.state")}</th>
                <th scope="col" class="num">
                  {t("live.duration")}
                </th>
                <th scope="col">{t("live.since")}</th>
                <th scope="col">{t("live.route")}</th>
                <th scope="col">{t("live.edge")}</th>
                <th scope="col">{t("live.quality")}</th>
              </tr>
            </thead>
            <tbody>
              {live.calls.map((c) => {
                const first = c.legs[0];
                const trunks = [...new Set(c.legs.map((l) => l.trunk_id).filter(Boolean))];
                const talking = c.answered_at ?? c.started_at;
                return (
                  <tr key={c.call_id} data-key={c.call_id} data-state={c.state}>
                    <td>
                      {first ? (
                        <>
                          <strong>{first.from}</strong> → <strong>{c.target || first.to}</strong>
                        </>
                      ) : (
                        c.call_id
                      )}
                      {c.legs.length > 1 ? <span class="muted"> ({t("live.legs", { n: c.legs.length })})</span> : null}
                    </td>
                    <td>
                      <Badge kind={STATE_KIND[c.state]}>{codeLabel(t, "live_state", c.state)}</Badge>
                      {c.last_event !== "call.ringing" && c.last_event !== "call.answered" ? (
                        <span class="muted"> {codeLabel(t, "evkind", c.last_event)}</span>
                      ) : null}
                      {c.one_way_audio ? (
                        <>
                          {" "}
                          <Badge kind="error">{t("live.one_way")}</Badge>
                        </>
                      ) : null}
                    </td>
                    <td class="num">{fmt.duration(since(now, talking))}</td>
                    <td>
                      <time dateTime={c.started_at}>{fmt.dateTime(c.started_at)}</time>
                    </td>
                    <td>
                      {codeLabel(t, "direction", first?.direction ?? "internal")}
                      {trunks.length ? <span class="muted"> · {trunks.join(", ")}</span> : null}
                    </td>
                    <td>{c.edge_id}</td>
                    <td>
                      <ul class="quality">
                        {c.legs.map((l) => (
                          <Quality key={l.id} leg={l} />
                        ))}
                      </ul>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
