// Who is logged in: the token (memory + sessionStorage of this tab, gone at logout or when
// the tab closes), /v1/users/me, and the tenant (name, time zone) of a tenant user.
import { api, call, setToken, type Role, type Schemas } from "./api/client";

const TOKEN_KEY = "probox.token";

export interface Session {
  token: string;
  role: Role;
  me: Schemas["MeOut"];
  tenant: Schemas["TenantOut"] | null;
}

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function keep(token: string | null): void {
  setToken(token);
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage refused: the session lasts while the page is open
  }
}

/** The session of a token: who it is and, for a tenant user, its tenant. */
export async function open(token: string): Promise<Session> {
  keep(token);
  try {
    // In parallel (one round trip, not two): who this is, and the tenants it sees, which for a
    // tenant user is its own tenant alone (for the provider the first tenant, unused).
    const [me, seen] = await Promise.all([
      call(api.GET("/v1/users/me")),
      call(api.GET("/v1/tenants", { params: { query: { limit: 1 } } })).catch(() => null),
    ]);
    let tenant: Schemas["TenantOut"] | null = null;
    if (me.tenant_id) {
      const own = seen?.items.find((x) => x.id === me.tenant_id);
      tenant =
        own ?? (await call(api.GET("/v1/tenants/{tenant_id}", { params: { path: { tenant_id: me.tenant_id } } })));
    }
    return { token, role: me.role as Role, me, tenant };
  } catch (e) {
    keep(null);
    throw e;
  }
}

/** Log in; `otp` is the authenticator's code, for a user with the second factor on. */
export async function login(email: string, password: string, otp?: string): Promise<Session> {
  const out = await call(api.POST("/v1/auth/login", { body: otp ? { email, password, otp } : { email, password } }));
  return open(out.token);
}

/** End the session at the API (best effort) and forget the token. */
export async function logout(): Promise<void> {
  try {
    await call(api.POST("/v1/auth/logout"));
  } catch {
    // already expired or unreachable: forgetting the token is what matters here
  } finally {
    keep(null);
  }
}

export function forget(): void {
  keep(null);
}
