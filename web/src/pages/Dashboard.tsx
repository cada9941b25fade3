import type { JSX } from "preact";
import { api, call, type Schemas } from "../api/client";
import { Badge, ErrorNotice, Loading } from "../components/ui";
import { useApp } from "../context";
import { todayIn } from "../format";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";
import { useLive } from "../live";
import { href } from "../router";

const PAGE = 200;
const MAX_PAGES = 10; // counts up to 2,000 calls; more shows as "2.000+"

interface Today {
  total: number;
  answered: number;
  talkS: number;
  more: boolean;
  byDirection: Record<string, number>;
}

async function callsToday(from: string): Promise<Today> {
  const out: Today = { total: 0, answered: 0, talkS: 0, more: false, byDirection: {} };
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await call(api.GET("/v1/cdrs", { params: { query: { from, limit: PAGE, cursor } } }));
    for (const c of page.items) {
      out.total++;
      if (c.disposition === "answered") {
        out.answered++;
        out.talkS += c.billable_s ?? c.duration_s;
      }
      out.byDirection[c.direction] = (out.byDirection[c.direction] ?? 0) + 1;
    }
    if (!page.next) return out;
    cursor = page.next;
  }
  out.more = true;
  return out;
}

const LEVEL_KIND = { ok: "ok", warn80: "warn", warn90: "warn", full: "error" } as const;

function Usage(props: { usage: Schemas["RecordingUsage"] }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const u = props.usage;
  const pct = Math.min(100, Math.max(0, u.usage_pct));
  return (
    <div>
      <p class="big">
        {fmt.bytes(u.usage_bytes)} / {fmt.bytes(u.quota_bytes)}
      </p>
      <div
        class={`meter meter-${LEVEL_KIND[u.level]}`}
        role="meter"
        aria-label={t("dash.storage")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct * 10) / 10}
        aria-valuetext={fmt.pct(u.usage_pct)}
      >
        <span class={`meter-fill w${Math.round(pct / 5) * 5}`} />
      </div>
      <p>
        {fmt.pct(u.usage_pct)} <Badge kind={LEVEL_KIND[u.level]}>{codeLabel(t, "level", u.level)}</Badge>
      </p>
      <ul class="facts">
        <li>{t("dash.levels")}</li>
        <li>
          {t("settings.on_full")}: {codeLabel(t, "on_full", u.on_full)}
        </li>
        <li>
          {t("settings.retention_days")}: {fmt.num(u.retention_days)}
        </li>
        <li>{u.recording_active ? t("dash.recording_on") : t("dash.recording_off")}</li>
      </ul>
    </div>
  );
}

function eventText(t: ReturnType<typeof useI18n>["t"], fmtPct: (n: number) => string, e: Schemas["EventOut"]): string {
  const base = codeLabel(t, "event", e.type);
  const pct = (e.data as { threshold_pct?: unknown }).threshold_pct;
  return typeof pct === "number" ? `${base} (${fmtPct(pct)})` : base;
}

/** S5: the calls now, kept current by the live WebSocket. */
function LiveNow(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const live = useLive();
  const ringing = live.calls.filter((c) => c.state === "ringing").length;
  const oneWay = live.calls.filter((c) => c.one_way_audio).length;
  return (
    <section class="card" aria-labelledby="dash-live">
      <h2 id="dash-live">{t("dash.live_now")}</h2>
      <p class="big live-now" data-live-count={live.calls.length}>
        {fmt.num(live.calls.length)}
      </p>
      <ul class="facts">
        <li>{t("dash.live_ringing", { n: fmt.num(ringing) })}</li>
        {oneWay ? <li>{t("dash.live_one_way", { n: fmt.num(oneWay) })}</li> : null}
        <li>
          <Badge kind={live.status === "live" ? "ok" : live.status === "stopped" ? "error" : "warn"}>
            {t(`live.status.${live.status}`)}
          </Badge>
        </li>
      </ul>
      <p>
        <a href={href("/live")}>{t("dash.see_live")}</a>
      </p>
    </section>
  );
}

export function Dashboard(): JSX.Element {
  const { t } = useI18n();
  const { fmt, session, can } = useApp();
  const tz = session.tenant?.time_zone ?? fmt.timeZone;
  const today = todayIn(tz);
  const calls = useLoad(() => callsToday(today), [today]);
  const usage = useLoad(
    () => (can("GET /v1/recordings/usage") ? call(api.GET("/v1/recordings/usage")) : Promise.resolve(null)),
    [],
  );
  const events = useLoad(
    () =>
      can("GET /v1/events") ? call(api.GET("/v1/events", { params: { query: { limit: 10 } } })) : Promise.resolve(null),
    [],
  );
  const c = calls.data;
  return (
    <div class="cards">
      <section class="card" aria-labelledby="dash-calls">
        <h2 id="dash-calls">{t("dash.calls_today", { date: fmt.date(`${today}T12:00:00Z`) })}</h2>
        <ErrorNotice error={calls.error} />
        {c ? (
          <>
            <p class="big">
              {fmt.num(c.total)}
              {c.more ? "+" : ""}
            </p>
            <ul class="facts">
              <li>{t("dash.answered", { n: fmt.num(c.answered) })}</li>
              <li>{t("dash.not_answered", { n: fmt.num(c.total - c.answered) })}</li>
              <li>{t("dash.talk_time", { d: fmt.duration(c.talkS) })}</li>
              {Object.entries(c.byDirection).map(([d, n]) => (
                <li key={d}>
                  {codeLabel(t, "direction", d)}: {fmt.num(n)}
                </li>
              ))}
            </ul>
            <p>
              <a href={href("/calls", { from: today })}>{t("dash.see_calls")}</a>
            </p>
          </>
        ) : calls.loading ? (
          <Loading />
        ) : null}
      </section>
      {can("GET /v1/recordings/usage") ? (
        <section class="card" aria-labelledby="dash-storage">
          <h2 id="dash-storage">{t("dash.storage")}</h2>
          <ErrorNotice error={usage.error} />
          {usage.data ? <Usage usage={usage.data} /> : usage.loading ? <Loading /> : null}
        </section>
      ) : null}
      {can("GET /v1/calls/live") ? <LiveNow /> : null}
      {can("GET /v1/events") ? (
        <section class="card wide" aria-labelledby="dash-events">
          <h2 id="dash-events">{t("dash.events")}</h2>
          <ErrorNotice error={events.error} />
          {events.data ? (
            events.data.items.length ? (
              <ul class="events">
                {events.data.items.map((e) => (
                  <li key={e.id}>
                    <time dateTime={e.created_at}>{fmt.dateTime(e.created_at)}</time>{" "}
                    {eventText(t, (n) => fmt.pct(n), e)}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="empty">{t("dash.no_events")}</p>
            )
          ) : events.loading ? (
            <Loading />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
