// The HTTP client of the console: openapi-fetch over the generated types (./schema.d.ts), so a
// path, a query parameter or a body field the API does not have fails the typecheck.
// Same origin as the API (the console server proxies /v1/; CloudFront routes /v1/* to API
// Gateway): no CORS, no absolute URL in the build.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { ROLES, type Operation } from "./roles";

export type Schemas = components["schemas"];
export type Role = "provider_admin" | "tenant_admin" | "supervisor" | "agent";

export const api = createClient<paths>({ baseUrl: window.location.origin });

let bearer: string | null = null;
let onExpired: (() => void) | null = null;

/** The token sent with every request (null: none). */
export function setToken(token: string | null): void {
  bearer = token;
}

/** Called once when an authenticated request answers 401 (expired, revoked or logged out elsewhere). */
export function onSessionExpired(fn: () => void): void {
  onExpired = fn;
}

api.use({
  onRequest({ request }) {
    if (bearer) request.headers.set("Authorization", `Bearer ${bearer}`);
    return request;
  },
  onResponse({ request, response }) {
    // Only a refusal of the current token means the session ended: a request still in flight
    // when the user logged out (the live view's, say) was sent with a token already forgotten.
    const sent = request.headers.get("Authorization");
    if (response.status === 401 && sent !== null && bearer !== null && sent === `Bearer ${bearer}` && onExpired) {
      onExpired();
    }
    return response;
  },
});

/** An API refusal: the HTTP status and the API's `{error: {code, message, fields}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

interface Result<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

function errorOf(response: Response, body: unknown): ApiError {
  const err = (body as { error?: Partial<Schemas["ErrorDetail"]> } | undefined)?.error;
  const retry = Number(response.headers.get("Retry-After"));
  return new ApiError(
    response.status,
    err?.code ?? `http_${response.status}`,
    err?.message ?? response.statusText,
    (err?.fields as Record<string, string> | undefined) ?? {},
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

/** The answer's body, or an ApiError for a refusal or a network failure. */
export async function call<D>(promise: Promise<Result<D>>): Promise<D> {
  let r: Result<D>;
  try {
    r = await promise;
  } catch (e) {
    throw new ApiError(0, "network", e instanceof Error ? e.message : String(e));
  }
  if (!r.response.ok || r.error !== undefined) throw errorOf(r.response, r.error);
  return r.data as D;
}

/** May this role call this operation (the API's own x-roles, generated into ./roles.ts)? */
export function allowed(role: Role | undefined, op: Operation): boolean {
  return role !== undefined && (ROLES[op] as readonly string[]).includes(role);
}
