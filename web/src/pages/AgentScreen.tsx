// CC1: the customer's record, call history and open tickets on one page, brought up by the
// caller's number (typed or in the address: #/agent?number=...), or a new-contact form for an
// unknown number. Screen pop: when a call rings the agent's own extension (a live event over
// the WebSocket, before the answer), the page opens the caller's record by itself. Wrap-up (CC3):
// the disposition and notes of the agent's current call (live) or of the customer's last call.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ErrorNotice, Field, Loading, Notice, type Option } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { useI18n } from "../i18n";
import { useLive, type LiveCall } from "../live";
import { navigate } from "../router";
import { CallHistory, ContactBadges, ContactForm, TextArea, TicketTable, asError, useDispositions, useFields, type Contact } from "./desk";
import { NewTicket } from "./Tickets";
import { AgentStatusControl } from "./AgentStatus";

export function AgentScreen(): JSX.Element {
  const { t } = useI18n();
  const { route } = useApp();
  const number = route.query.get("number") ?? "";
  const ringing = useScreenPop();
  return (
    <>
      <p>{t("agent.intro")}</p>
      <AgentStatusControl />
      {ringing ? (
        <div class="notice notice-info" role="alert" data-call-id={ringing.call_id} data-testid="screen-pop">
          {t("agent.ringing", { number: callerOf(ringing) })}
        </div>
      ) : null}
      <NumberForm key={number} initial={number} />
      {number ? <Caller key={number} number={number} /> : <Notice kind="info">{t("agent.no_call_yet")}</Notice>}
    </>
  );
}

/** Who calls in a call: its first leg's caller. */
function callerOf(c: LiveCall): string {
  return c.legs[0]?.from ?? "";
}

/** A call from outside (a customer, through a trunk) ringing the logged-in user's own
 * extension; a colleague's internal call has no customer record to pop. */
function ringsMe(c: LiveCall, extension: string): boolean {
  return (
    c.state === "ringing" &&
    c.legs[0]?.direction === "inbound" &&
    c.legs.some((leg) => leg.to === extension) &&
    callerOf(c) !== "" &&
    callerOf(c) !== extension
  );
}

/** Screen pop: the newest call that rings this user's extension now. When one starts ringing,
 * the page opens its caller (#/agent?number=...) once; the record stays after the call. */
function useScreenPop(): LiveCall | null {
  const { session } = useApp();
  const live = useLive();
  const extension = session.me.user?.extension ?? "";
  const popped = useRef(new Set<string>());
  const mine = extension ? live.calls.filter((c) => ringsMe(c, extension)) : [];
  const newest = mine[mine.length - 1] ?? null;
  useEffect(() => {
    if (!newest || popped.current.has(newest.call_id)) return;
    popped.current.add(newest.call_id);
    navigate("/agent", { number: callerOf(newest) });
  }, [newest?.call_id]);
  return newest;
}

function NumberForm(props: { initial: string }): JSX.Element {
  const { t } = useI18n();
  const [typed, setTyped] = useState(props.initial);
  return (
    <form
      class="panel filters"
      role="search"
      aria-label={t("agent.find")}
      onSubmit={(e) => {
        e.preventDefault();
        navigate("/agent", { number: typed.trim() });
      }}
    >
      <div class="fields">
        <Field spec={{ name: "number", label: "agent.number", type: "tel", inputMode: "tel", required: true }} value={typed} onChange={(v) => setTyped(String(v))} />
      </div>
      <div class="actions">
        <button type="submit" class="primary">
          {t("agent.find")}
        </button>
      </div>
    </form>
  );
}

function Caller(props: { number: string }): JSX.Element {
  const { t } = useI18n();
  const { can } = useApp();
  const fields = useFields();
  const found = useLoad(
    () =>
      call(api.GET("/v1/contacts/lookup", { params: { query: { number: props.number } } })).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [props.number],
  );
  const [created, setCreated] = useState<Contact | null>(null);
  const [wrapped, setWrapped] = useState(0); // bumps after a wrap-up is saved: the history reloads
  const contact = created ?? found.data ?? null;
  const tickets = useLoad(
    () =>
      contact
        ? call(api.GET("/v1/tickets", { params: { query: { contact_id: contact.id, status: "new,open,pending", limit: 50 } } }))
        : Promise.resolve({ items: [], next: null }),
    [contact?.id],
  );
  if (found.error) return <ErrorNotice error={found.error} />;
  if (found.loading || !fields) return <Loading />;
  if (!contact) {
    return (
      <>
        <Notice kind="info">{t("agent.unknown", { number: props.number })}</Notice>
        <ContactForm contact={null} number={props.number} fields={fields} title={t("agent.new_contact")} submitLabel={t("agent.create")} onSaved={setCreated} />
      </>
    );
  }
  return (
    <>
      <div class="desk-grid">
        <div>
          <p>
            <ContactBadges contact={contact} />
          </p>
          {can("POST /v1/calls/click-to-call") && contact.callable ? <CallButton contactId={contact.id} /> : null}
          <ContactForm key={contact.id} contact={contact} fields={fields} title={contact.name || t("contact.unnamed")} submitLabel={t("common.save")} onSaved={() => found.reload()} />
        </div>
        <div>
          <section class="panel" aria-labelledby="open-tickets">
            <h2 id="open-tickets">{t("agent.open_tickets")}</h2>
            <ErrorNotice error={tickets.error} />
            <TicketTable tickets={tickets.data?.items ?? []} caption={t("agent.open_tickets")} compact />
          </section>
          {can("POST /v1/tickets") ? <NewTicket contactId={contact.id} onCreated={() => tickets.reload()} /> : null}
        </div>
      </div>
      <WrapUp key={contact.id} contactId={contact.id} onSaved={() => setWrapped((n) => n + 1)} />
      <CallHistory key={`history-${wrapped}`} contactId={contact.id} />
    </>
  );
}

/** The call to wrap up: the newest live call of the agent's own extension, else the contact's
 * newest call. ``noted``: it may have a wrap-up to read (the history says so; a live call may). */
function useWrapCall(contactId: string): { callId: string; startedAt: string; live: boolean; noted: boolean } | null {
  const { session } = useApp();
  const live = useLive();
  const extension = session.me.user?.extension ?? "";
  const last = useLoad(
    () => call(api.GET("/v1/contacts/{contact_id}/calls", { params: { path: { contact_id: contactId }, query: { limit: 1 } } })),
    [contactId],
  );
  const mine = extension ? live.calls.filter((c) => c.legs.some((leg) => leg.from === extension || leg.to === extension)) : [];
  const now = mine[mine.length - 1];
  if (now) return { callId: now.call_id, startedAt: now.started_at, live: true, noted: true };
  const newest = last.data?.items[0];
  return newest ? { callId: newest.call_id, startedAt: newest.started_at, live: false, noted: Boolean(newest.wrapup) } : null;
}

type Wrapup = Schemas["WrapupOut"];

function WrapUp(props: { contactId: string; onSaved: () => void }): JSX.Element {
  const { t, lang } = useI18n();
  const { fmt } = useApp();
  const target = useWrapCall(props.contactId);
  const dispositions = useDispositions();
  const callId = target?.callId ?? "";
  const noted = target?.noted ?? false;
  const existing = useLoad(
    () =>
      callId && noted
        ? call(api.GET("/v1/calls/{call_id}/wrapup", { params: { path: { call_id: callId } } })).catch((e: unknown) => {
            if (e instanceof ApiError && e.status === 404) return null;
            throw e;
          })
        : Promise.resolve(null),
    [callId, noted],
  );
  const [disposition, setDisposition] = useState<string | null>(null);
  const [notes, setNotes] = useState<string | null>(null);
  const [saved, setSaved] = useState<Wrapup | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const note = saved?.call_id === callId ? saved : (existing.data ?? null);
  const chosen = disposition ?? note?.disposition ?? "";
  const text = notes ?? note?.notes ?? "";
  const options: Option[] = [
    { value: "", label: t("wrapup.choose") },
    ...dispositions.items.map((d) => ({ value: d.code, label: lang === "en" ? d.label_en : d.label_vi })),
  ];
  const save = (e: Event): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { disposition: chosen, notes: text, contact_id: props.contactId };
    call(api.PUT("/v1/calls/{call_id}/wrapup", { params: { path: { call_id: callId } }, body }))
      .then((w) => {
        setSaved(w);
        setDisposition(null);
        setNotes(null);
        props.onSaved();
      })
      .catch((err: unknown) => setError(asError(err)))
      .finally(() => setBusy(false));
  };
  const unchanged = disposition === null && notes === null;
  return (
    <section class="panel" aria-labelledby="wrapup-title">
      <h2 id="wrapup-title">{t("wrapup.title")}</h2>
      {!target ? (
        <Notice kind="info">{t("wrapup.no_call")}</Notice>
      ) : (
        <form onSubmit={save} data-call-id={callId}>
          <p>{t(target.live ? "wrapup.live_call" : "wrapup.last_call", { time: fmt.dateTime(target.startedAt) })}</p>
          <div class="fields">
            <Field
              spec={{ name: "disposition", label: "wrapup.disposition", type: "select", options, required: true }}
              value={chosen}
              error={error?.fields["disposition"]}
              onChange={(v) => setDisposition(String(v))}
            />
            <TextArea
              label={t("wrapup.notes")}
              name="notes"
              value={text}
              rows={4}
              maxLength={4000}
              hint={t("wrapup.notes_hint", { n: text.length })}
              error={error?.fields["notes"]}
              onChange={setNotes}
            />
          </div>
          <ErrorNotice error={existing.error ?? error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !chosen}>
              {t("wrapup.save")}
            </button>
            {saved?.call_id === callId && unchanged ? (
              <Notice kind="ok">{t("wrapup.saved")}</Notice>
            ) : note === null && !existing.loading ? (
              <span class="muted">{t("wrapup.none_yet")}</span>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}

type Click = Schemas["ClickToCallOut"];
const DONE: ReadonlySet<Click["state"]> = new Set(["connected", "failed", "expired"]);

/** Click-to-call: the PBX rings the agent's own phone first, then the customer. The state of
 * the click is read again every second until it is connected, failed or expired. */
function CallButton(props: { contactId: string }): JSX.Element {
  const { t } = useI18n();
  const [click, setClick] = useState<Click | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!click || DONE.has(click.state)) return;
    const timer = window.setTimeout(() => {
      call(api.GET("/v1/calls/click-to-call/{command_id}", { params: { path: { command_id: click.id } } }))
        .then(setClick)
        .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e))));
    }, 1000);
    return () => window.clearTimeout(timer);
  }, [click]);
  const start = (): void => {
    setBusy(true);
    setError(null);
    const body = { contact_id: props.contactId, request_id: `web-${Date.now()}-${Math.random().toString(36).slice(2, 10)}` };
    call(api.POST("/v1/calls/click-to-call", { body }))
      .then(setClick)
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e))))
      .finally(() => setBusy(false));
  };
  return (
    <div class="actions">
      <button type="button" class="primary" disabled={busy || (click !== null && !DONE.has(click.state))} onClick={start}>
        {t("agent.call")}
      </button>
      {click ? (
        <span role="status" data-state={click.state}>
          {t("agent.call_state", { state: click.state })}
        </span>
      ) : null}
      <ErrorNotice error={error} />
    </div>
  );
}
