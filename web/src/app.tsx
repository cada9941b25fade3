// The shell: language, login, the role's navigation, the page of the address.
import type { JSX } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { onSessionExpired, type Schemas } from "./api/client";
import { Loading, Notice } from "./components/ui";
import { AppContext, makeCtx, suspended } from "./context";
import { DEFAULT_TIME_ZONE, Format } from "./format";
import { I18nContext, codeLabel, storeLang, storedLang, translate, type I18n, type Lang } from "./i18n";
import { LiveContext, LiveFeed } from "./live";
import { AgentScreen } from "./pages/AgentScreen";
import { Wallboard } from "./pages/Wallboard";
import { Calls } from "./pages/Calls";
import { Contacts } from "./pages/Contacts";
import { Dashboard } from "./pages/Dashboard";
import { Extensions } from "./pages/Extensions";
import { Live } from "./pages/Live";
import { Queues } from "./pages/Queues";
import { Login } from "./pages/Login";
import { Settings } from "./pages/Settings";
import { Webhooks } from "./pages/Webhooks";
import { Security } from "./pages/Security";
import { ApiKeys, Users } from "./pages/access";
import { PAGES, home, pageOf, visible, type PageId } from "./pages/index";
import { Edges, Plans, Tenants } from "./pages/provider";
import { Blocklist, Branches, Devices, Numbers, Trunks } from "./pages/telephony";
import { Tickets } from "./pages/Tickets";
import { href, navigate, useRoute } from "./router";
import { forget, logout, open, savedToken, type Session } from "./session";

function LangSwitch(props: { i18n: I18n }): JSX.Element {
  const other: Lang = props.i18n.lang === "vi" ? "en" : "vi";
  return (
    <button
      type="button"
      class="lang"
      lang={other}
      aria-label={other === "en" ? "English (switch language)" : "Tiếng Việt (chuyển ngôn ngữ)"}
      onClick={() => props.i18n.setLang(other)}
    >
      {other === "en" ? "English" : "Tiếng Việt"}
    </button>
  );
}

function renderPage(id: PageId, onTenant: (t: Schemas["TenantOut"]) => void): JSX.Element {
  switch (id) {
    case "dashboard":
      return <Dashboard />;
    case "calls":
      return <Calls />;
    case "agent":
      return <AgentScreen />;
    case "wallboard":
      return <Wallboard />;
    case "contacts":
      return <Contacts />;
    case "tickets":
      return <Tickets />;
    case "live":
      return <Live />;
    case "queues":
      return <Queues />;
    case "extensions":
      return <Extensions />;
    case "branches":
      return <Branches />;
    case "numbers":
      return <Numbers />;
    case "trunks":
      return <Trunks />;
    case "blocklist":
      return <Blocklist />;
    case "security":
      return <Security />;
    case "devices":
      return <Devices />;
    case "users":
    case "operators":
      return <Users />;
    case "api-keys":
      return <ApiKeys />;
    case "webhooks":
      return <Webhooks />;
    case "settings":
      return <Settings onTenant={onTenant} />;
    case "tenants":
      return <Tenants />;
    case "plans":
      return <Plans />;
    case "edges":
      return <Edges />;
  }
}

export function App(): JSX.Element {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => savedToken() !== null);
  const [notice, setNotice] = useState("");
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);

  const i18n = useMemo<I18n>(
    () => ({
      lang,
      t: (key, params) => translate(lang, key, params),
      setLang: (l) => {
        storeLang(l);
        setLangState(l);
      },
    }),
    [lang],
  );
  const { t } = i18n;

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    onSessionExpired(() => {
      forget();
      setSession(null);
      setNotice("session.expired");
    });
    const token = savedToken();
    if (token) {
      open(token)
        .then(setSession, () => setNotice(""))
        .finally(() => setRestoring(false));
    }
  }, []);

  const onLogin = useCallback((s: Session) => {
    setNotice("");
    setSession(s);
    const page = pageOf(window.location.hash.replace(/^#/, "").split("?")[0] ?? "");
    if (!page) navigate(`/${home(s.role)}`);
  }, []);

  const onLogout = async (): Promise<void> => {
    await logout();
    setSession(null);
    setNotice("session.logged_out");
    navigate("/");
  };

  const fmt = useMemo(
    () => new Format(lang, session?.tenant?.time_zone ?? DEFAULT_TIME_ZONE),
    [lang, session?.tenant?.time_zone],
  );
  const ctx = useMemo(() => (session ? makeCtx(session, fmt, route) : null), [session, fmt, route]);
  // One live feed per login (the live page and the dashboard's count share it); tenant users only.
  const live = useMemo(
    () => (session && session.role !== "provider_admin" ? new LiveFeed() : null),
    [session?.token, session?.role],
  );
  useEffect(() => () => live?.stop(), [live]);

  const page = pageOf(route.path);
  const allowed = ctx && page ? visible(page, ctx.session.role, ctx.can) : false;
  const title = !session
    ? t("login.title")
    : !page
      ? t("page.not_found")
      : allowed
        ? t(page.title)
        : t("page.forbidden");

  useEffect(() => {
    document.title = `${title} · ProBox`;
  }, [title]);

  useEffect(() => {
    if (session && route.path === "/") navigate(`/${home(session.role)}`);
  }, [session, route.path]);

  const skip = (e: Event): void => {
    e.preventDefault();
    mainRef.current?.focus();
  };

  let body: JSX.Element;
  if (restoring) {
    body = (
      <main id="main" class="login">
        <Loading />
      </main>
    );
  } else if (!session || !ctx) {
    body = <Login onLogin={onLogin} notice={notice === "session.expired" || notice === "session.logged_out" ? t(notice) : ""} />;
  } else {
    const nav = PAGES.filter((p) => visible(p, session.role, ctx.can));
    body = (
      <AppContext.Provider value={ctx}>
        <LiveContext.Provider value={live}>
        <div class="layout">
          <nav class="side" aria-label={t("nav.label")}>
            <ul>
              {nav.map((p) => (
                <li key={p.id}>
                  <a href={href(`/${p.id}`)} aria-current={page?.id === p.id ? "page" : undefined}>
                    {t(p.title)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" ref={mainRef} tabIndex={-1}>
            <h1>{title}</h1>
            {suspended(session) ? <Notice kind="warn">{t("err.tenant_suspended")}</Notice> : null}
            {page && allowed ? (
              <div key={`${page.id}`} class={`page page-${page.id}`}>
                {renderPage(page.id, (tenant) => setSession({ ...session, tenant }))}
              </div>
            ) : page ? (
              <p class="forbidden">{t("page.forbidden_text")}</p>
            ) : (
              <p>{t("page.not_found_text")}</p>
            )}
          </main>
        </div>
        </LiveContext.Provider>
      </AppContext.Provider>
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip" href="#main" onClick={skip}>
        {t("nav.skip")}
      </a>
      <header class="top">
        <span class="brand">ProBox</span>
        {session ? (
          <span class="who">
            {session.tenant ? <strong>{session.tenant.name}</strong> : null}{" "}
            <span class="muted">
              {session.me.user?.email ?? session.me.sub} · {codeLabel(t, "role", session.role)}
            </span>
          </span>
        ) : null}
        <span class="spacer" />
        <LangSwitch i18n={i18n} />
        {session ? (
          <button type="button" onClick={onLogout}>
            {t("nav.logout")}
          </button>
        ) : null}
      </header>
      {body}
      <footer class="foot">
        {session
          ? t("footer.time_zone", { tz: fmt.timeZone })
          : t("footer.product")}
      </footer>
    </I18nContext.Provider>
  );
}
