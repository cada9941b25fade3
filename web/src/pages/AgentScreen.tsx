// CC1: the customer's record, call history and open tickets on one page, brought up by the
// caller's number (typed or in the address: #/agent?number=...), or a new-contact form for an
// unknown number. Screen pop: when a call rings the agent's own extension (a live event over
// the WebSocket, before the answer), the page opens the caller's record by itself.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, call, type Schemas } from "../api/client";
import { ErrorNotice, Field, Loading, Notice } from "../components/ui";
import { useApp } from "../context";
import { useLoad } from "../hooks";
import { useI18n } from "../i18n";
import { useLive, type LiveCall } from "../live";
import { navigate } from "../router";
import { CallHistory, ContactBadges, ContactForm, TicketTable, useFields, type Contact } from "./desk";
import { NewTicket } from "./Tickets";

export function AgentScreen(): JSX.Element {
  const { t } = useI18n();
  const { route } = useApp();
  const number = route.query.get("number") ?? "";
  const ringing = useScreenPop();
  return (
    <>
      <p>{t("agent.intro")}</p>
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
      <CallHistory contactId={contact.id} />
    </>
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
