import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { ErrorNotice, Field, Notice } from "../components/ui";
import { useI18n } from "../i18n";
import { login, type Session } from "../session";

export function Login(props: { onLogin: (s: Session) => void; notice?: string }): JSX.Element {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [otpNeeded, setOtpNeeded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onLogin(await login(email.trim(), password, otpNeeded ? otp.trim() : undefined));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, "client", String(err));
      if (e.code === "otp_required" && !otpNeeded) {
        setOtpNeeded(true); // the password was right: ask for the second factor, keep the password
        setError(e);
      } else {
        setError(e);
        setPassword("");
        setOtp("");
      }
    } finally {
      setBusy(false);
    }
  };
  const failed =
    error && error.status === 401 && error.code !== "otp_required" ? new ApiError(401, "bad_login", error.message) : error;
  return (
    <main id="main" class="login">
      <h1>{t("login.title")}</h1>
      <p>{t("login.intro")}</p>
      {props.notice ? <Notice kind="info">{props.notice}</Notice> : null}
      <form onSubmit={submit} class="panel">
        <Field
          spec={{ name: "email", label: "login.email", type: "email", required: true, autoComplete: "username" }}
          value={email}
          onChange={(v) => setEmail(String(v))}
        />
        <Field
          spec={{
            name: "password",
            label: "login.password",
            type: "password",
            required: true,
            autoComplete: "current-password",
          }}
          value={password}
          onChange={(v) => setPassword(String(v))}
        />
        {otpNeeded ? (
          <Field
            spec={{
              name: "otp",
              label: "login.otp",
              required: true,
              inputMode: "numeric",
              pattern: "[0-9]{6}",
              autoComplete: "one-time-code",
              hint: "login.otp_hint",
            }}
            value={otp}
            onChange={(v) => setOtp(String(v))}
          />
        ) : null}
        <ErrorNotice error={failed} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("login.submit")}
          </button>
        </div>
      </form>
    </main>
  );
}
