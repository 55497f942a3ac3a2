// The client's one catalogue mechanism (docs/i18n.md, "Web client"): t(key, params) looks a key
// up in the language's catalogue (locale/en.js, locale/vi.js), fills {name} placeholders and
// picks a plural form by Intl.PluralRules when the entry is {one, other} and params.count is a
// number. The language is decided once, when the module loads, so module-level labels are right;
// switching language reloads the page. No DOM is needed here: Node's unit tests import it.

import en from "../locale/en.js";
import vi from "../locale/vi.js";

export const CATALOGUES = { en, vi };
/** The languages offered by the switch, each named in its own language. */
export const LANGUAGES = [
  { code: "en", name: "English" }, // i18n-ignore: a language is named in itself
  { code: "vi", name: "Tiếng Việt" }, // i18n-ignore
];
const DEFAULT_LOCALES = { en: "en-US", vi: "vi-VN" };
export const LANGUAGE_COOKIE = "django_language"; // Django's LocaleMiddleware reads the same

let language = "en";
let localeTag = DEFAULT_LOCALES.en;

/** The first supported language of a list of tags ("vi-VN" → "vi"), else "en". */
export function pickLanguage(tags) {
  for (const tag of tags) {
    const primary = String(tag || "")
      .toLowerCase()
      .split(/[-_]/)[0];
    if (primary in CATALOGUES) return primary;
  }
  return "en";
}

/** Use `code` from now on; the viewer's own tag (e.g. "en-GB") keeps its regional formats. */
export function setLanguage(code, browserTags = []) {
  language = code in CATALOGUES ? code : "en";
  const own = browserTags.find((tag) => pickLanguage([tag]) === language && tag.includes("-"));
  localeTag = own || DEFAULT_LOCALES[language];
}

export function currentLanguage() {
  return language;
}

/** The BCP 47 tag for Intl formatters. */
export function locale() {
  return localeTag;
}

function interpolate(text, params) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === "number" ? new Intl.NumberFormat(localeTag).format(value) : value;
  });
}

function lookup(catalogue, key, params) {
  const entry = catalogue[key];
  if (entry === undefined || entry === "") return undefined;
  if (typeof entry === "string") return entry;
  const form = new Intl.PluralRules(localeTag).select(Number(params.count));
  return entry[form] ?? entry.other;
}

/** The text of `key` in the current language (English, then the key itself, when missing). */
export function t(key, params = {}) {
  const text = lookup(CATALOGUES[language], key, params) ?? lookup(en, key, params) ?? key;
  return interpolate(text, params);
}

/** Decide the language from the page: the server's choice in the boot JSON (the profile, the
 *  language cookie, Accept-Language), else the browser's languages. */
function fromPage() {
  if (typeof document === "undefined") return;
  const browser = [...(globalThis.navigator?.languages || [])];
  const boot = readBoot();
  setLanguage(pickLanguage([boot?.me?.language, boot?.language, ...browser]), browser);
}

function readBoot() {
  try {
    return JSON.parse(document.getElementById("boot").textContent);
  } catch {
    return null; // no boot JSON (a test page): the browser's languages decide
  }
}

fromPage();
