// Call-center queues (issue 16): list, create and change a queue (number, strategy, members
// with their priority, timeouts, overflow...), and the agents' status for supervisors.
import type { JSX } from "preact";
import { api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import { Badge, DataTable, ErrorNotice, Loading, bool, int, str, type FieldSpec, type Values } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

type Queue = Schemas["QueueOut"];
type Agent = Schemas["AgentOut"];
const STRATEGIES = ["ringall", "longest_idle", "fewest_calls", "round_robin", "linear", "random"] as const;
type Strategy = (typeof STRATEGIES)[number];
const INTS = [
  "ring_timeout_s",
  "retry_s",
  "max_wait_s",
  "max_len",
  "wrapup_s",
  "autopause_after",
  "widen_after_s",
  "service_level_s",
  "announce_every_s",
  "rejoin_s",
] as const;
const RANGES: Record<(typeof INTS)[number], [number, number]> = {
  ring_timeout_s: [5, 120],
  retry_s: [0, 60],
  max_wait_s: [0, 7200],
  max_len: [0, 1000],
  wrapup_s: [0, 600],
  autopause_after: [0, 20],
  widen_after_s: [0, 3600],
  service_level_s: [5, 600],
  announce_every_s: [0, 600],
  rejoin_s: [0, 3600],
};
const BOOLS = ["join_empty", "leave_when_empty", "callback"] as const;
const DEFAULTS: Values = {
  name: "",
  number: "",
  strategy: "ringall",
  members: "",
  overflow: "",
  language: "vi",
  ring_timeout_s: "15",
  retry_s: "2",
  max_wait_s: "300",
  max_len: "0",
  wrapup_s: "10",
  autopause_after: "3",
  widen_after_s: "30",
  service_level_s: "20",
  announce_every_s: "30",
  rejoin_s: "60",
  join_empty: false,
  leave_when_empty: true,
  callback: true,
};

/** "101, 102:1" -> members; a bad priority goes to the API as it is (its 400 names it). */
export function parseMembers(text: string): Schemas["QueueMemberIn"][] {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [extension = "", penalty] = s.split(":", 2);
      return penalty === undefined ? { extension } : { extension, penalty: Number.parseInt(penalty, 10) };
    });
}

export function membersText(members: Schemas["QueueMemberOut"][]): string {
  return members.map((m) => (m.penalty ? `${m.extension}:${m.penalty}` : m.extension)).join(", ");
}

function settings(v: Values): Omit<Schemas["QueueUpdate"], "name" | "number" | "members"> {
  const out: Record<string, unknown> = {
    strategy: (STRATEGIES as readonly string[]).includes(str(v, "strategy")) ? (str(v, "strategy") as Strategy) : "ringall",
    overflow: str(v, "overflow"),
    language: str(v, "language") === "en" ? "en" : "vi",
  };
  for (const name of INTS) {
    const n = int(v, name);
    if (!Number.isNaN(n)) out[name] = n;
  }
  for (const name of BOOLS) out[name] = bool(v, name);
  return out as Omit<Schemas["QueueUpdate"], "name" | "number" | "members">;
}

type Figures = Schemas["QueueFiguresOut"];

/** Today's figures per queue (GET /v1/queues/stats: computed from the queue event log). */
function TodayFigures(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const stats = useLoad(() => call(api.GET("/v1/queues/stats")), []);
  const rate = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : fmt.pct(x * 100));
  const secs = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : fmt.num(x, 1));
  return (
    <section class="panel" aria-labelledby="figures-title">
      <h2 id="figures-title">{t("queue.figures_title")}</h2>
      <ErrorNotice error={stats.error} />
      {stats.data === undefined ? (
        stats.error ? null : <Loading />
      ) : (
        <DataTable<Figures>
          caption={t("queue.figures_title")}
          rows={stats.data.queues}
          rowKey={(f) => f.number || f.queue_id}
          columns={[
            { key: "queue", label: "queue.number", cell: (f) => (f.name ? `${f.number} ${f.name}` : f.queue_id) },
            { key: "waiting", label: "queue.waiting", cell: (f) => fmt.num(f.waiting) },
            { key: "entered", label: "queue.entered", cell: (f) => fmt.num(f.entered) },
            { key: "answered", label: "queue.answered", cell: (f) => fmt.num(f.answered) },
            { key: "abandoned", label: "queue.abandoned", cell: (f) => fmt.num(f.abandoned) },
            { key: "sl", label: "queue.service_level", cell: (f) => rate(f.service_level) },
            { key: "asa", label: "queue.asa", cell: (f) => secs(f.asa_s) },
          ]}
        />
      )}
    </section>
  );
}

function AgentsTable(): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const agents = useLoad(() => call(api.GET("/v1/agents")).then((r) => r.items), []);
  const kind = (a: Agent): "ok" | "warn" | "muted" =>
    a.status === "ready" ? "ok" : a.status === "paused" ? "warn" : "muted";
  return (
    <section class="panel" aria-labelledby="agents-title">
      <h2 id="agents-title">{t("queue.agents_title")}</h2>
      <ErrorNotice error={agents.error} />
      {agents.data === undefined ? (
        agents.error ? null : <Loading />
      ) : agents.data.length === 0 ? (
        <p class="muted">{t("queue.agents_empty")}</p>
      ) : (
        <DataTable<Agent>
          caption={t("queue.agents_title")}
          rows={agents.data}
          rowKey={(a) => a.extension}
          columns={[
            { key: "extension", label: "agent.extension", cell: (a) => a.extension },
            { key: "name", label: "agent.name", cell: (a) => a.name },
            {
              key: "status",
              label: "agent.status",
              cell: (a) => <Badge kind={kind(a)}>{codeLabel(t, "agent_status", a.status)}</Badge>,
            },
            { key: "reason", label: "agent.reason", cell: (a) => a.reason },
            { key: "since", label: "agent.since", cell: (a) => (a.since_iso ? fmt.dateTime(a.since_iso) : "") },
          ]}
        />
      )}
    </section>
  );
}

export function Queues(): JSX.Element {
  const { t } = useI18n();
  const { can } = useApp();
  const admin = can("POST /v1/queues");
  const targets = useLoad(
    () =>
      admin
        ? Promise.all([
            call(api.GET("/v1/queues")).then((r) => r.items),
            call(api.GET("/v1/extensions")).then((r) => r.items),
          ])
        : Promise.resolve([[], []] as [Queue[], Schemas["ExtensionOut"][]]),
    [],
  );
  const [queues, exts] = targets.data ?? [[], []];
  const overflowOptions = (self: string): { value: string; label: string }[] => [
    { value: "", label: t("queue.overflow_none") },
    { value: "message", label: t("queue.overflow_message") },
    { value: "callback", label: t("queue.overflow_callback") },
    ...queues
      .filter((q) => q.id !== self)
      .map((q) => ({ value: `queue:${q.id}`, label: t("queue.overflow_queue", { name: `${q.name} (${q.number})` }) })),
    ...exts.map((e) => ({ value: `extension:${e.number}`, label: t("queue.overflow_extension", { number: e.number }) })),
  ];
  const overflowLabel = (q: Queue): string => {
    const [kind, target = ""] = q.overflow.split(":", 2);
    if (!q.overflow) return t("queue.overflow_none");
    if (kind === "message") return t("queue.overflow_message");
    if (kind === "callback") return t("queue.overflow_callback");
    if (kind === "queue") {
      const other = queues.find((x) => x.id === target);
      return t("queue.overflow_queue", { name: other ? `${other.name} (${other.number})` : target });
    }
    return t("queue.overflow_extension", { number: target });
  };
  const fields = (self: string): FieldSpec[] => [
    { name: "name", label: "queue.name", required: true },
    {
      name: "number",
      label: "queue.number",
      required: true,
      inputMode: "numeric",
      pattern: "[1-9][0-9]{1,5}",
      hint: "queue.number_hint",
    },
    {
      name: "strategy",
      label: "queue.strategy",
      type: "select",
      options: STRATEGIES.map((s) => ({ value: s, label: codeLabel(t, "strategy", s) })),
    },
    { name: "members", label: "queue.members", hint: "queue.members_hint" },
    { name: "overflow", label: "queue.overflow", type: "select", options: overflowOptions(self) },
    ...INTS.map((name) => ({
      name,
      label: `queue.${name}` as const,
      type: "number" as const,
      min: RANGES[name][0],
      max: RANGES[name][1],
    })),
    ...BOOLS.map((name) => ({ name, label: `queue.${name}` as const, type: "checkbox" as const })),
    {
      name: "language",
      label: "queue.language",
      type: "select",
      options: [
        { value: "vi", label: t("queue.language_vi") },
        { value: "en", label: t("queue.language_en") },
      ],
    },
  ];
  const values = (q: Queue): Values => ({
    name: q.name,
    number: q.number,
    strategy: q.strategy,
    members: membersText(q.members),
    overflow: q.overflow,
    language: q.language,
    ...Object.fromEntries(INTS.map((n) => [n, String(q[n])])),
    ...Object.fromEntries(BOOLS.map((n) => [n, q[n]])),
  });
  return (
    <>
      <ResourcePage<Queue>
        noun="noun.queue"
        caption="nav.queues"
        load={() => call(api.GET("/v1/queues")).then((r) => r.items)}
        rowKey={(q) => q.number}
        columns={[
          { key: "number", label: "queue.number", cell: (q) => q.number },
          { key: "name", label: "queue.name", cell: (q) => q.name },
          { key: "strategy", label: "queue.strategy", cell: (q) => codeLabel(t, "strategy", q.strategy) },
          { key: "members", label: "queue.members", cell: (q) => membersText(q.members) },
          { key: "overflow", label: "queue.overflow", cell: overflowLabel },
          { key: "wrapup", label: "queue.wrapup_s", cell: (q) => String(q.wrapup_s) },
        ]}
        create={
          admin
            ? {
                fields: fields(""),
                initial: DEFAULTS,
                submit: async (v) => {
                  const made = await call(
                    api.POST("/v1/queues", {
                      body: {
                        ...settings(v),
                        name: str(v, "name"),
                        number: str(v, "number"),
                        members: parseMembers(str(v, "members")),
                      },
                    }),
                  );
                  targets.reload();
                  return made;
                },
              }
            : undefined
        }
        edit={
          admin
            ? {
                fields: (q) => fields(q.id),
                initial: values,
                submit: (q, v) =>
                  call(
                    api.PATCH("/v1/queues/{queue_id}", {
                      params: { path: { queue_id: q.id } },
                      body: {
                        ...settings(v),
                        name: str(v, "name"),
                        number: str(v, "number"),
                        members: parseMembers(str(v, "members")),
                      },
                    }),
                  ),
              }
            : undefined
        }
        remove={
          admin
            ? async (q) => {
                await call(api.DELETE("/v1/queues/{queue_id}", { params: { path: { queue_id: q.id } } }));
                targets.reload();
              }
            : undefined
        }
      >
        <p class="muted">{t("queue.intro")}</p>
      </ResourcePage>
      {can("GET /v1/queues/stats") ? <TodayFigures /> : null}
      {can("GET /v1/agents") ? <AgentsTable /> : null}
    </>
  );
}
