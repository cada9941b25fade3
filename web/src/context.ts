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

export function makeCtx(session: Session, fmt: Format, route: Route): Ctx {
  return { session, fmt, route, can: (op) => allowed(session.role, op) };
}
