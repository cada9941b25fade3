import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { allowed } from "./api/client";
import type { Operation } from "./api/roles";
import { Format } from "./format";
import type { Route } from "./router";
import type { Session } from "./session";

export interface Ctx {
  session: Session;
  fmt: Format;
  route: Route;
  /** May the logged-in role call this operation? */
  can: (op: Operation) => boolean;
}

export const AppContext = createContext<Ctx | null>(null);

export function useApp(): Ctx {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error("useApp outside the logged-in shell");
  return ctx;
}

/** What a suspended tenant's users may still do besides reading (the API's `while_suspended`
 * routes; the API refuses the rest with 403 tenant_suspended, this only hides the buttons). */
const WHILE_SUSPENDED: ReadonlySet<Operation> = new Set<Operation>([
  "POST /v1/auth/logout",
  "POST /v1/cdrs/export.csv",
  "POST /v1/cdrs/export.xlsx",
  "POST /v1/tenants/{tenant_id}/export",
]);

export function suspended(session: Session): boolean {
  return session.tenant?.status === "suspended";
}

export function makeCtx(session: Session, fmt: Format, route: Route): Ctx {
  const frozen = suspended(session);
  return {
    session,
    fmt,
    route,
    can: (op) => allowed(session.role, op) && (!frozen || op.startsWith("GET ") || WHILE_SUSPENDED.has(op)),
  };
}
