// The tenant's calls now (S5/CC3): the REST snapshot (GET /v1/calls/live), then the events of
// the live WebSocket. The WebSocket opens with a one-time ticket (POST /v1/live/tickets: a token
// is never put in a URL) on this origin's /ws; each event carries its number (seq) and the call
// as it is after it (null: ended). A call's state is only replaced by a newer event, and an
// ended call is remembered (tombstone), so events that arrive twice or late change nothing.
// Several events may come in one message ({"type": "events", "items": [...]}).
// After a reconnect the feed asks the server to resume after the newest number it has; the
// server sends what was missed (or "resync": the snapshot is loaded again). One feed per login,
// shared by the pages that show it (the live page, the dashboard's count).
// Supervisors and tenant admins also get the queue log's new events on it
// ({"type": "queue", "events": [...]}): the wallboard listens to them (onQueue).
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { createContext } from "preact";
import { ApiError, api, call, type Schemas } from "./api/client";

export type LiveCall = Schemas["LiveCallOut"];
export type QueueEvent = Schemas["QueueEventOut"];
export type LiveStatus = "connecting" | "live" | "retrying" | "stopped";

export interface LiveState {
  calls: LiveCall[];
  status: LiveStatus;
  seq: number;
  error: ApiError | null;
}

interface EventMsg {
  type: "event";
  seq: number;
  event: { call_id: string; kind: string };
  call: LiveCall | null;
}
type ServerMsg =
  | EventMsg
  | { type: "events"; items: EventMsg[] }
  | { type: "resumed"; seq: number }
  | { type: "resync"; seq: number }
  | { type: "pong"; seq: number }
  | { type: "queue"; events: QueueEvent[] }
  | { type: "error"; code: string };

const PING_MS = 60_000; // keeps the connection out of API Gateway's 10-minute idle close
const LINGER_MS = 5_000; // a page change does not close and reopen the socket
const MAX_TOMBSTONES = 2_000;

export class LiveFeed {
  private calls = new Map<string, LiveCall>();
  private ended = new Map<string, number>();
  private seq = 0;
  private status: LiveStatus = "stopped";
  private error: ApiError | null = null;
  private ws: WebSocket | null = null;
  private loaded = false;
  private resuming = false;
  private buffer: EventMsg[] = [];
  private listeners = new Set<(s: LiveState) => void>();
  private queueListeners = new Set<(events: QueueEvent[]) => void>();
  private attempt = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private lingerTimer: number | undefined;
  private running = false;

  subscribe(fn: (s: LiveState) => void): () => void {
    this.listeners.add(fn);
    window.clearTimeout(this.lingerTimer);
    if (!this.running) this.start();
    fn(this.state());
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.lingerTimer = window.setTimeout(() => this.stop(), LINGER_MS);
    };
  }

  /** Queue events as they are pushed (supervisors, tenant admins); the feed runs while
   * someone also subscribes (useLive). Returns the unsubscribe function. */
  onQueue(fn: (events: QueueEvent[]) => void): () => void {
    this.queueListeners.add(fn);
    return () => {
      this.queueListeners.delete(fn);
    };
  }

  state(): LiveState {
    const calls = [...this.calls.values()].sort((a, b) =>
      a.started_at === b.started_at ? a.call_id.localeCompare(b.call_id) : a.started_at.localeCompare(b.started_at),
    );
    return { calls, status: this.status, seq: this.seq, error: this.error };
  }

  private emit(): void {
    const s = this.state();
    for (const fn of this.listeners) fn(s);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.emit();
  }

  start(): void {
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, "done");
    this.loaded = false;
    this.resuming = false;
    this.buffer = [];
    this.status = "stopped";
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.setStatus(this.attempt === 0 ? "connecting" : "retrying");
    let ticket: Schemas["LiveTicketOut"];
    try {
      ticket = await call(api.POST("/v1/live/tickets"));
    } catch (e) {
      this.error = e instanceof ApiError ? e : new ApiError(0, "client", String(e));
      if (this.error.status === 401 || this.error.status === 403) {
        this.running = false;
        this.setStatus("stopped");
        return;
      }
      this.retry();
      return;
    }
    if (!this.running) return;
    const url = new URL(ticket.url, window.location.href);
    url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket.ticket);
    const ws = new WebSocket(url.toString());
    this.ws = ws;
    ws.onopen = () => void this.opened(ws);
    ws.onmessage = (m: MessageEvent) => this.received(ws, m.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      window.clearInterval(this.pingTimer);
      this.retry();
    };
  }

  private retry(): void {
    if (!this.running) return;
    this.attempt++;
    this.setStatus("retrying");
    const base = Math.min(10_000, 500 * 2 ** Math.min(5, this.attempt - 1));
    this.retryTimer = window.setTimeout(() => void this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private send(ws: WebSocket, doc: object): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(doc));
  }

  private async opened(ws: WebSocket): Promise<void> {
    this.attempt = 0;
    this.error = null;
    if (!this.loaded) await this.loadSnapshot();
    if (this.ws !== ws) return;
    if (!this.loaded) {
      ws.close(); // no snapshot to apply events to: try again (onclose retries)
      return;
    }
    this.resume(ws);
    window.clearInterval(this.pingTimer);
    this.pingTimer = window.setInterval(() => this.send(ws, { action: "ping" }), PING_MS);
    this.setStatus("live");
  }

  /** Ask for what was missed since the newest event held; the answer (a few events it has
   * already among them) is applied at once when "resumed" comes, so a call that rang and ended
   * meanwhile never flashes into the table. */
  private resume(ws: WebSocket): void {
    this.resuming = true;
    this.send(ws, { action: "resume", after: this.seq });
  }

  private flush(): void {
    const held = this.buffer;
    this.buffer = [];
    let changed = false;
    for (const m of held) changed = this.apply(m) || changed;
    if (changed) this.emit();
  }

  private async loadSnapshot(): Promise<void> {
    try {
      const snap = await call(api.GET("/v1/calls/live"));
      this.calls = new Map();
      for (const c of snap.calls) {
        if ((this.ended.get(c.call_id) ?? -1) < c.seq) this.calls.set(c.call_id, c);
      }
      this.seq = snap.seq;
      this.loaded = true;
      if (!this.resuming) this.flush();
      this.emit();
    } catch (e) {
      this.error = e instanceof ApiError ? e : new ApiError(0, "client", String(e));
      this.emit();
    }
  }

  private received(ws: WebSocket, data: unknown): void {
    let msg: ServerMsg;
    try {
      msg = JSON.parse(String(data)) as ServerMsg;
    } catch {
      return;
    }
    if (msg.type === "event" || msg.type === "events") {
      const items = msg.type === "event" ? [msg] : msg.items;
      if (!this.loaded || this.resuming) this.buffer.push(...items);
      else {
        let changed = false;
        for (const m of items) changed = this.apply(m) || changed;
        if (changed) this.emit();
      }
    } else if (msg.type === "queue") {
      for (const fn of this.queueListeners) fn(msg.events);
    } else if (msg.type === "resync") {
      this.loaded = false;
      this.buffer = [];
      void this.loadSnapshot().then(() => this.resume(ws));
    } else if (msg.type === "resumed") {
      this.resuming = false;
      this.seq = Math.max(this.seq, msg.seq);
      this.flush();
    }
  }

  /** Apply one event; false when it changes nothing (older than what is known of its call). */
  private apply(m: EventMsg): boolean {
    const id = m.event.call_id;
    if ((this.ended.get(id) ?? -1) >= m.seq) return false;
    const known = this.calls.get(id);
    this.seq = Math.max(this.seq, m.seq);
    if (known && known.seq >= m.seq) return false;
    if (m.call === null) {
      this.calls.delete(id);
      this.ended.set(id, m.seq);
      if (this.ended.size > MAX_TOMBSTONES) {
        const oldest = this.ended.keys().next().value;
        if (oldest !== undefined) this.ended.delete(oldest);
      }
    } else {
      this.calls.set(id, m.call);
    }
    return true;
  }
}

export const LiveContext = createContext<LiveFeed | null>(null);

/** The calls now, kept current while the component is shown. */
export function useLive(): LiveState {
  const feed = useContext(LiveContext);
  const [state, setState] = useState<LiveState>(
    () => feed?.state() ?? { calls: [], status: "stopped", seq: 0, error: null },
  );
  useEffect(() => (feed ? feed.subscribe(setState) : undefined), [feed]);
  return state;
}

/** Calls `fn` with each batch of queue events pushed on the live WebSocket while the component
 * is shown (`fn` may change between renders: the newest is called). */
export function useQueueEvents(fn: (events: QueueEvent[]) => void): void {
  const feed = useContext(LiveContext);
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => (feed ? feed.onQueue((events) => ref.current(events)) : undefined), [feed]);
}

/** A clock that ticks every second (call durations). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  return now;
}
