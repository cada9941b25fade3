// Call-center queues (issue 16): list, create and change a queue (number, strategy, members
// with their priority, timeouts, overflow...), and the agents' status for supervisors.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ResourcePage } from "../components/resource";
import {
  Badge,
  ConfirmButton,
  DataTable,
  ErrorNotice,
  Field,
  Loading,
  Notice,
  bool,
  int,
  str,
  type FieldSpec,
  type Values,
} from "../components/ui";
import { useApp } from "../context";
import { base64Of } from "../files";
import { useLoad } from "../hooks";
import { codeLabel, useI18n } from "../i18n";

type Queue = Schemas["QueueOut"];
type Prompt = Schemas["PromptOut"];
const PROMPTS = ["welcome", "callback", "callback_ok", "closed", "leave_message"] as const;
type PromptName = (typeof PROMPTS)[number];
const MAX_PROMPT_BYTES = 4 * 1024 * 1024;
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
/** A tenant admin's own recordings of a queue's prompts (a WAV per prompt and language); the
 * place in line and the expected wait stay the product's voice. */
function QueuePrompts(props: { queues: Queue[]; reload: () => void }): JSX.Element {
  const { t } = useI18n();
  const { fmt } = useApp();
  const [queueId, setQueueId] = useState(props.queues[0]?.id ?? "");
  const [name, setName] = useState<PromptName>("welcome");
  const [language, setLanguage] = useState<"vi" | "en">("vi");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState("");
  const queue = props.queues.find((q) => q.id === queueId) ?? props.queues[0];
  const tooBig = file !== null && file.size > MAX_PROMPT_BYTES;
  const upload = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!queue || !file || tooBig) return;
    setBusy(true);
    setError(null);
    setDone("");
    try {
      const content_base64 = await base64Of(file);
      await call(
        api.PUT("/v1/queues/{queue_id}/prompts/{name}", {
          params: { path: { queue_id: queue.id, name } },
          body: { language, content_base64 },
        }),
      );
      setDone(t("prompt.uploaded", { name: t(`prompt.${name}`) }));
      props.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "client", String(err)));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (p: Prompt): Promise<void> => {
    if (!queue) return;
    await call(
      api.DELETE("/v1/queues/{queue_id}/prompts/{name}", {
        params: { path: { queue_id: queue.id, name: p.name }, query: { language: p.language } },
      }),
    );
    props.reload();
  };
  return (
    <section class="panel" aria-labelledby="prompts-title">
      <h2 id="prompts-title">{t("prompt.title")}</h2>
      <p class="muted">{t("prompt.intro")}</p>
      <form onSubmit={upload}>
        <div class="fields">
          <Field
            spec={{
              name: "prompt_queue",
              label: "prompt.queue",
              type: "select",
              options: props.queues.map((q) => ({ value: q.id, label: `${q.number} ${q.name}` })),
            }}
            value={queue?.id ?? ""}
            onChange={(v) => setQueueId(String(v))}
          />
          <Field
            spec={{
              name: "prompt_name",
              label: "prompt.name",
              type: "select",
              options: PROMPTS.map((p) => ({ value: p, label: t(`prompt.${p}`) })),
            }}
            value={name}
            onChange={(v) => setName(PROMPTS.find((p) => p === v) ?? "welcome")}
          />
          <Field
            spec={{
              name: "prompt_language",
              label: "queue.language",
              type: "select",
              options: [
                { value: "vi", label: t("queue.language_vi") },
                { value: "en", label: t("queue.language_en") },
              ],
            }}
            value={language}
            onChange={(v) => setLanguage(v === "en" ? "en" : "vi")}
          />
          <div class="field">
            <label for="prompt-file">{t("prompt.file")}</label>
            <input
              id="prompt-file"
              name="prompt_file"
              type="file"
              required
              accept=".wav,audio/wav,audio/x-wav"
              aria-describedby="prompt-file-hint"
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
            <p id="prompt-file-hint" class="hint">
              {t("prompt.file_hint")}
            </p>
          </div>
        </div>
        {tooBig ? <Notice kind="error">{t("prompt.too_big")}</Notice> : null}
        <ErrorNotice error={error} />
        {done ? <Notice kind="ok">{done}</Notice> : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !file || tooBig}>
            {busy ? t("prompt.uploading") : t("prompt.upload")}
          </button>
        </div>
      </form>
      <DataTable<Prompt>
        caption={t("prompt.own", { queue: queue ? `${queue.number} ${queue.name}` : "" })}
        rows={queue?.prompts ?? []}
        rowKey={(p) => `${p.language}/${p.name}`}
        empty="prompt.none"
        columns={[
          { key: "name", label: "prompt.name", cell: (p) => t(`prompt.${p.name}`) },
          { key: "language", label: "queue.language", cell: (p) => t(`queue.language_${p.language}`) },
          { key: "seconds", label: "prompt.seconds", cell: (p) => fmt.num(p.seconds, 1), numeric: true },
          { key: "uploaded", label: "prompt.uploaded_at", cell: (p) => fmt.dateTime(p.uploaded_at) },
        ]}
        actions={(p) => (
          <ConfirmButton
            label={t("prompt.remove")}
            confirmLabel={t("prompt.remove_confirm")}
            onConfirm={() => remove(p)}
            onError={setError}
          />
        )}
      />
    </section>
  );
}

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
      {admin && queues.length > 0 ? <QueuePrompts queues={queues} reload={targets.reload} /> : null}
      {can("GET /v1/queues/stats") ? <TodayFigures /> : null}
      {can("GET /v1/agents") ? <AgentsTable /> : null}
    </>
  );
}
