// Numbers, sizes, dates and durations as the reader expects them: Vietnamese formatting in
// Vietnamese (1.234.567,5), British English in English, times in the tenant's time zone.
import type { Lang } from "./i18n";

export const DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"; // pbx_core.defaults.TIME_ZONE

export class Format {
  readonly locale: string;
  private readonly numbers: Intl.NumberFormat;
  private readonly dateTimes: Intl.DateTimeFormat;
  private readonly dates: Intl.DateTimeFormat;

  constructor(
    readonly lang: Lang,
    readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {
    this.locale = lang === "vi" ? "vi-VN" : "en-GB";
    let tz = timeZone;
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
    } catch {
      tz = DEFAULT_TIME_ZONE;
    }
    this.numbers = new Intl.NumberFormat(this.locale);
    this.dateTimes = new Intl.DateTimeFormat(this.locale, {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
    });
    this.dates = new Intl.DateTimeFormat(this.locale, { timeZone: tz, dateStyle: "medium" });
  }

  num(n: number, maxDigits = 0): string {
    if (maxDigits === 0) return this.numbers.format(n);
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: maxDigits }).format(n);
  }

  pct(n: number): string {
    return new Intl.NumberFormat(this.locale, { style: "percent", maximumFractionDigits: 1 }).format(n / 100);
  }

  /** Sizes in units of 1,024, named as the plans name them (a "5 GB" plan is 5 × 1024³ bytes). */
  bytes(n: number): string {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${this.num(v, i === 0 ? 0 : 1)} ${units[i]}`;
  }

  dateTime(iso: string | null | undefined): string {
    if (!iso) return "";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.dateTimes.format(d);
  }

  date(iso: string | null | undefined): string {
    if (!iso) return "";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.dates.format(d);
  }

  /** 75 -> "1:15", 3725 -> "1:02:05". */
  duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
  }
}

/** Today's date (YYYY-MM-DD) in a time zone: the API reads a date without offset as the tenant's. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
