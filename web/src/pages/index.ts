// The console's pages and who sees them: a page is offered when the role may call its main
// operation (the API's x-roles, generated into api/roles.ts) and it belongs to the role's scope.
import type { Operation } from "../api/roles";
import type { Role } from "../api/client";
import type { MsgKey } from "../i18n";

export type PageId =
  | "dashboard"
  | "calls"
  | "agent"
  | "wallboard"
  | "contacts"
  | "tickets"
  | "live"
  | "queues"
  | "extensions"
  | "branches"
  | "numbers"
  | "trunks"
  | "blocklist"
  | "security"
  | "devices"
  | "users"
  | "api-keys"
  | "webhooks"
  | "settings"
  | "tenants"
  | "plans"
  | "edges"
  | "operators";

export interface PageDef {
  id: PageId;
  title: MsgKey;
  op: Operation;
  scope: "tenant" | "provider";
}

export const PAGES: readonly PageDef[] = [
  { id: "dashboard", title: "nav.dashboard", op: "GET /v1/cdrs", scope: "tenant" },
  { id: "calls", title: "nav.calls", op: "GET /v1/cdrs", scope: "tenant" },
  { id: "agent", title: "nav.agent", op: "GET /v1/contacts/lookup", scope: "tenant" },
  { id: "contacts", title: "nav.contacts", op: "GET /v1/contacts", scope: "tenant" },
  { id: "tickets", title: "nav.tickets", op: "GET /v1/tickets", scope: "tenant" },
  { id: "live", title: "nav.live", op: "GET /v1/calls/live", scope: "tenant" },
  { id: "wallboard", title: "nav.wallboard", op: "GET /v1/queues/stats", scope: "tenant" },
  { id: "queues", title: "nav.queues", op: "GET /v1/queues", scope: "tenant" },
  { id: "extensions", title: "nav.extensions", op: "GET /v1/extensions", scope: "tenant" },
  { id: "branches", title: "nav.branches", op: "GET /v1/branches", scope: "tenant" },
  { id: "numbers", title: "nav.numbers", op: "GET /v1/numbers", scope: "tenant" },
  { id: "trunks", title: "nav.trunks", op: "GET /v1/trunks", scope: "tenant" },
  { id: "blocklist", title: "nav.blocklist", op: "GET /v1/blocklist", scope: "tenant" },
  { id: "security", title: "nav.security", op: "GET /v1/security/bans", scope: "tenant" },
  { id: "devices", title: "nav.devices", op: "GET /v1/devices", scope: "tenant" },
  { id: "users", title: "nav.users", op: "GET /v1/users", scope: "tenant" },
  { id: "api-keys", title: "nav.api_keys", op: "GET /v1/api-keys", scope: "tenant" },
  { id: "webhooks", title: "nav.webhooks", op: "GET /v1/webhooks", scope: "tenant" },
  { id: "settings", title: "nav.settings", op: "PATCH /v1/tenants/{tenant_id}", scope: "tenant" },
  { id: "tenants", title: "nav.tenants", op: "POST /v1/tenants", scope: "provider" },
  { id: "plans", title: "nav.plans", op: "POST /v1/plans", scope: "provider" },
  { id: "edges", title: "nav.edges", op: "GET /v1/edges", scope: "provider" },
  { id: "operators", title: "nav.operators", op: "GET /v1/users", scope: "provider" },
];

export function pageOf(path: string): PageDef | undefined {
  const id = path.replace(/^\//, "").split("/")[0];
  return PAGES.find((p) => p.id === id);
}

export function visible(page: PageDef, role: Role, can: (op: Operation) => boolean): boolean {
  return (page.scope === "provider") === (role === "provider_admin") && can(page.op);
}

export function home(role: Role): PageId {
  return role === "provider_admin" ? "tenants" : "dashboard";
}
