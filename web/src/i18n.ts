// Texts in Vietnamese (the default) and English. Every key exists in both dictionaries: en.ts
// is typed by vi.ts's keys, so a text missing in one language fails the typecheck.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en } from "./locales/en";
import { vi } from "./locales/vi";

export type Lang = "vi" | "en";
export type MsgKey = keyof typeof vi;
export type Params = Record<string, string | number>;

const DICTS: Record<Lang, Record<MsgKey, string>> = { vi, en };
export const LANGS: readonly Lang[] = ["vi", "en"];
export const LANG_STORAGE_KEY = "probox.lang";

export function translate(lang: Lang, key: MsgKey, params?: Params): string {
  const text = DICTS[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/** Has this dictionary a text under this (runtime) key? For API codes (event types, roles...). */
export function hasKey(key: string): key is MsgKey {
  return Object.prototype.hasOwnProperty.call(vi, key);
}

export function storedLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_STORAGE_KEY);
    return v === "en" || v === "vi" ? v : "vi";
  } catch {
    return "vi";
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export interface I18n {
  lang: Lang;
  t: (key: MsgKey, params?: Params) => string;
  setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({
  lang: "vi",
  t: (key, params) => translate("vi", key, params),
  setLang: () => undefined,
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** The text of an API code (`prefix.value`, e.g. "disposition.busy"); the code itself if unknown. */
export function codeLabel(t: I18n["t"], prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return hasKey(key) ? t(key) : value;
}
