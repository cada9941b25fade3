// Issue 16 item 5: the supervisor's wallboard. The figures of today (GET /v1/queues/stats, as
// pbx_core.queue_stats computes them) per queue and per agent; the queue log's new events come
// on the live WebSocket ({"type": "queue"}): an "enter" adds a waiting caller at once (with the
// time it entered, so the longest wait ticks from it), an answer, abandon, timeout, overflow or
// callback request takes it away, and the full figures are read again shortly after (debounced)
// so that every other number is exactly the server's.
import type { JSX } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { Badge, ErrorNotice, Loading } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { hasKey, useI18n } from "../i18n";
import { useLive, useNow, useQueueEvents, type QueueEvent } from "../live";

type Stats = Schemas["QueueStatsOut"];
type QueueFigures = Stats["queues"][number];

const REFRESH_MS = 300;
const ENTERS = new Set(["enter", "rejoin"]);
const LEAVES = new Set(["answer", "abandon", "timeout", "overflow", "callback_request"]);

/** Who waits in a queue now, as far as the browser knows: the callers of the last figures
 * (their number; the oldest one's entry time) and those entered since (each with its time). */
export interface Waiting {
  fromStats: number; // callers counted by the figures, not yet seen leaving
  oldest: number | null; // when the figures' longest waiting caller entered (server seconds)
  entered: Record<string, number>; // callers entered since the figures: call id -> entered at
}

export function waitingOf(stats: Stats): Record<string, Waiting> {
  const out: Record<string, Waiting> = {};
  for (const q of stats.queues) {
    out[q.queue_id] = {
      fromStats: q.waiting,
      oldest: q.waiting > 0 ? stats.at - q.longest_wait_s : null,
      entered: {},
    };
  }
  return out;
}

/** The waiting callers after some queue events (a new object; the input is not changed). */
export function applyEvents(waiting: Record<string, Waiting>, events: readonly QueueEvent[]): Record<string, Waiting> {
  const out = { ...waiting };
  for (const e of events) {
    if (!e.queue_id || !(ENTERS.has(e.kind) || LEAVES.has(e.kind))) continue;
    const w = out[e.queue_id] ?? { fromStats: 0, oldest: null, entered: {} };
    const next: Waiting = { ...w, entered: { ...w.entered } };
    if (ENTERS.has(e.kind)) {
      if (!(e.call_id in next.entered)) next.entered[e.call_id] = e.at;
    } else if (e.call_id in next.entered) {
      delete next.entered[e.call_id];
    } else if (next.fromStats > 0) {
      // one of the figures' callers left; which one is not known (when others remain, the
      // oldest time is kept until the figures are read again, a moment later)
      next.fromStats -= 1;
      if (next.fromStats === 0) next.oldest = null;
    }
    out[e.queue_id] = next;
  }
  return out;
}

export function waitingCount(w: Waiting | undefined): number {
  return w ? w.fromStats + Object.keys(w.entered).length : 0;
}

/** Seconds the longest waiting caller has waited at `now` (server seconds); 0 when none. */
export function longestWait(w: Waiting | undefined, now: number): number {
  if (!w || waitingCount(w) === 0) return 0;
  const times = Object.values(w.entered);
  if (w.fromStats > 0 && w.oldest !== null) times.push(w.oldest);
  return times.length ? Math.max(0, now - Math.min(...times)) : 0;
}

interface Board {
  stats: Stats;
  skewMs: number; // browser clock minus the server's, at the figures' reading
  waiting: Record<string, Waiting>;
}

function useBoard(): { board: Board | null; error: ApiError | null; loading: boolean; refresh: () => void } {
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);
  const followUp = useRef<number | undefined>(undefined);
  // queue events received since the figures in flight were asked for (they may be missing from them)
  const recent = useRef<{ at: number; events: readonly QueueEvent[] }[]>([]);

  const load = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    const asked = Date.now();
    try {
      const stats = await call(api.GET("/v1/queues/stats"));
      const skewMs = Date.now() - stats.at * 1000;
      // events stamped after the figures' "now" are not in them yet (they are applied on top);
      // the others received before the question are (those received since may be: the read
      // that each one schedules settles it)
      recent.current = recent.current
        .map((r) => (r.at >= asked ? r : { ...r, events: r.events.filter((e) => e.at > stats.at) }))
        .filter((r) => r.events.length > 0 && r.at > Date.now() - 60_000);
      const later = recent.current.flatMap((r) => r.events).filter((e) => e.at > stats.at);
      setBoard({ stats, skewMs, waiting: applyEvents(waitingOf(stats), later) });
      setError(null);
      window.clearTimeout(followUp.current);
      const ahead = Math.max(0, ...later.map((e) => e.at - stats.at));
      if (ahead > 0 && ahead <= 30) {
        // an edge's clock a little ahead: read again once the figures count them
        followUp.current = window.setTimeout(() => void load(), ahead * 1000 + REFRESH_MS);
      }
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    } finally {
      inFlight.current = false;
      setLoading(false);
      if (again.current) {
        again.current = false;
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => void load(), REFRESH_MS);
      }
    }
  }, []);

  const refresh = useCallback((): void => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void load(), REFRESH_MS);
  }, [load]);

  useEffect(() => {
    void load();
    return () => {
      window.clearTimeout(timer.current);
      window.clearTimeout(followUp.current);
    };
  }, [load]);

  useQueueEvents((events) => {
    recent.current.push({ at: Date.now(), events });
    setBoard((b) => (b ? { ...b, waiting: applyEvents(b.waiting, events) } : b));
    refresh();
  });

  return { board, error, loading, refresh };
}

function Rate(props: { value: number | null }): JSX.Element {
  const { fmt } = useApp();
  return <>{props.value === null ? "—" : fmt.pct(props.value * 100)}</>;
}

function Secs(props: { value: number | null }): JSX.Element {
  const { fmt } = useApp();
  return <>{props.value === null ? "—" : fmt.duration(props.value)}</>;
}

const STATE_KIND: Record<string, "ok" | "warn" | "error" | "muted"> = {
  ready: "ok",
  ringing: "warn",
  queue_call: "warn",
  wrapup: "muted",
  paused: "error",
  logged_out: "muted",
};

export function Wallboard(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const live = useLive(); // keeps the live WebSocket open while the wallboard is shown
  const { board, error, loading, refresh } = useBoard();
  const people = useLoad(() => call(api.GET("/v1/agents")), []); // names beside the extensions
  const names = new Map((people.data?.items ?? []).map((a) => [a.extension, a.name]));
  const clock = useNow();
  const wasLive = useRef(live.status === "live");
  useEffect(() => {
    // back after a lost connection: events may have been missed, read the figures again
    if (live.status === "live" && !wasLive.current) refresh();
    wasLive.current = live.status === "live";
  }, [live.status, refresh]);

  if (!board) return loading ? <Loading /> : <ErrorNotice error={error} />;
  const { stats, waiting } = board;
  const now = (clock - board.skewMs) / 1000; // server time
  const queues: QueueFigures[] = [...stats.queues];
  for (const qid of Object.keys(waiting)) {
    if (!queues.some((q) => q.queue_id === qid) && waitingCount(waiting[qid]) > 0) {
      queues.push({ ...EMPTY_QUEUE, queue_id: qid });
    }
  }
  const total = queues.reduce((n, q) => n + waitingCount(waiting[q.queue_id]), 0);
  const statusKind = live.status === "live" ? "ok" : live.status === "stopped" ? "error" : "warn";
  const stateLabel = (s: string): string => {
    const key = `wallboard.state.${s}`;
    return hasKey(key) ? t(key) : s;
  };
  return (
    <div class="wallboard">
      <p class="muted">{t("wallboard.intro", { from: fmt.dateTime(stats.start) })}</p>
      <p class="live-status" data-live-status={live.status}>
        <Badge kind={statusKind}>{t(`live.status.${live.status}`)}</Badge>{" "}
        <span role="status" aria-live="polite" class="wallboard-total" data-waiting-total={total}>
          {t("wallboard.waiting_total", { n: fmt.num(total) })}
        </span>
      </p>
      <ErrorNotice error={error} />
      {stats.truncated ? <p class="muted">{t("wallboard.truncated")}</p> : null}
      <section aria-labelledby="wallboard-queues">
        <h2 id="wallboard-queues">{t("wallboard.queues")}</h2>
        {queues.length === 0 ? (
          <p class="empty">{t("wallboard.no_queues")}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{t("wallboard.queues_caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("wallboard.queue")}</th>
                  <th scope="col" class="num">
                    {t("wallboard.waiting")}
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.longest_wait")}
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.entered")}
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.answered")}
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.abandoned")}
                  </th>
                  <th scope="col" class="num">
                    <abbr title={t("wallboard.service_level_full")}>{t("wallboard.service_level")}</abbr>
                  </th>
                  <th scope="col" class="num">
                    <abbr title={t("wallboard.asa_full")}>{t("wallboard.asa")}</abbr>
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.abandon_rate")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {queues.map((q) => {
                  const w = waiting[q.queue_id];
                  const n = waitingCount(w);
                  return (
                    <tr key={q.queue_id} data-key={q.queue_id} data-waiting={n}>
                      <th scope="row">
                        {q.name || t("wallboard.queue_gone")}
                        {q.number ? <span class="muted"> · {q.number}</span> : null}
                      </th>
                      <td class="num" data-field="waiting">
                        {fmt.num(n)}
                      </td>
                      <td class="num" data-field="longest_wait">
                        {fmt.duration(longestWait(w, now))}
                      </td>
                      <td class="num" data-field="entered">
                        {fmt.num(q.entered)}
                      </td>
                      <td class="num" data-field="answered">
                        {fmt.num(q.answered)}
                      </td>
                      <td class="num" data-field="abandoned">
                        {fmt.num(q.abandoned)}
                      </td>
                      <td class="num" data-field="service_level">
                        <Rate value={q.service_level} />
                      </td>
                      <td class="num" data-field="asa">
                        <Secs value={q.asa_s} />
                      </td>
                      <td class="num" data-field="abandon_rate">
                        <Rate value={q.abandon_rate} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="wallboard-agents">
        <h2 id="wallboard-agents">{t("wallboard.agents")}</h2>
        {stats.agents.length === 0 ? (
          <p class="empty">{t("wallboard.no_agents")}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{t("wallboard.agents_caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("wallboard.extension")}</th>
                  <th scope="col">{t("wallboard.state")}</th>
                  <th scope="col" class="num">
                    {t("wallboard.answered")}
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.talk")}
                  </th>
                  <th scope="col" class="num">
                    {t("wallboard.pause")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.agents.map((a) => {
                  // an open pause goes on growing until the figures are read again
                  const pause = a.pause_s + (a.state === "paused" ? Math.max(0, now - stats.at) : 0);
                  return (
                    <tr key={a.extension} data-key={a.extension} data-state={a.state}>
                      <th scope="row">
                        {a.extension}
                        {names.get(a.extension) ? <span class="muted"> · {names.get(a.extension)}</span> : null}
                      </th>
                      <td>
                        <Badge kind={STATE_KIND[a.state] ?? "muted"}>{stateLabel(a.state)}</Badge>
                      </td>
                      <td class="num" data-field="answered">
                        {fmt.num(a.answered)}
                      </td>
                      <td class="num" data-field="talk">
                        {fmt.duration(a.talk_s)}
                      </td>
                      <td class="num" data-field="pause">
                        {fmt.duration(pause)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

const EMPTY_QUEUE: QueueFigures = {
  queue_id: "",
  name: "",
  number: "",
  waiting: 0,
  callbacks_pending: 0,
  longest_wait_s: 0,
  entered: 0,
  answered: 0,
  abandoned: 0,
  short_abandons: 0,
  timeouts: 0,
  refused: 0,
  overflowed: 0,
  callbacks_requested: 0,
  answered_in_sl: 0,
  abandoned_after_sl: 0,
  service_level: null,
  service_level_abandons: null,
  asa_s: null,
  avg_talk_s: null,
  abandon_rate: null,
};
