// The language in the page: the shell's texts (data-i18n and data-i18n-label in index.html), and
// the switch in the top bar. Choosing a language sets Django's language cookie (the page and the
// API's errors follow it), saves it in the profile when signed in, and reloads the page, because
// lib/i18n.js decides the language once, when it loads.

import { api } from "../api.js";
import { currentLanguage, LANGUAGE_COOKIE, LANGUAGES, t } from "./i18n.js";

export function translateShell(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  document.documentElement.lang = currentLanguage();
}

export function setupLanguageSwitch(select, isSignedIn) {
  select.replaceChildren(
    ...LANGUAGES.map(({ code, name }) => {
      const option = new Option(name, code, false, code === currentLanguage());
      option.lang = code; // each language is named in itself
      return option;
    }),
  );
  select.addEventListener("change", async () => {
    const code = select.value;
    if (isSignedIn()) await api.patch("me", { language: code }).catch(() => {});
    reloadIn(code);
  });
}

/** Show the page in `code` from now on: the cookie keeps it when signed out, and Django's
 *  LocaleMiddleware reads it; the reload lets every module's labels be made in it. */
export function reloadIn(code) {
  document.cookie = `${LANGUAGE_COOKIE}=${code}; path=/; max-age=31536000; samesite=lax`;
  window.location.reload();
}
