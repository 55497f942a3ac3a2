// The client's catalogues against its code (rules in docs/i18n.md, "Web client"): every key the
// code uses exists in English and Vietnamese, Vietnamese is really translated, and no text for
// people is left outside the catalogue.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { CLIENT, clientFiles, scanFile, scanSource } from "./i18n-scan.js";
import en from "../../planpal/web/static/web/locale/en.js";
import vi from "../../planpal/web/static/web/locale/vi.js";

const TEMPLATE = new URL("../../planpal/web/templates/web/index.html", import.meta.url);
/** Vietnamese entries that are rightly the same as the English ones, with the reason. */
const SAME_IN_BOTH = new Map([]);

const scans = clientFiles().map((path) => ({ file: relative(CLIENT, path), ...scanFile(path) }));
const templateKeys = [
  ...readFileSync(TEMPLATE, "utf8").matchAll(/data-i18n(?:-label)?="([^"]+)"/g),
];
const usedKeys = new Set([
  ...scans.flatMap(({ keys }) => keys.map(({ key }) => key)),
  ...templateKeys.map((match) => match[1]),
]);
const forms = (entry) => (typeof entry === "string" ? [entry] : Object.values(entry));
const placeholders = (entry) =>
  new Set(forms(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));

test("every key the code uses is in both catalogues", () => {
  const missing = scans.flatMap(({ file, keys }) =>
    keys
      .filter(({ key }) => !(key in en) || !(key in vi))
      .map(({ key, line }) => `${file}:${line} ${key} (${key in en ? "vi" : "en"})`),
  );
  const fromTemplate = templateKeys.map((m) => m[1]).filter((key) => !(key in en && key in vi));
  assert.deepEqual([...missing, ...fromTemplate], []);
});

test("both catalogues have the same keys and no key the code does not use", () => {
  assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort());
  assert.deepEqual(
    Object.keys(en).filter((key) => !usedKeys.has(key)),
    [],
  );
});

test("every Vietnamese entry is written, and differs from the English one", () => {
  const untranslated = Object.keys(en).filter((key) => {
    const text = forms(vi[key]).join(" ").trim();
    if (!text) return true;
    return forms(vi[key]).some((form) => forms(en[key]).includes(form)) && !SAME_IN_BOTH.has(key);
  });
  assert.deepEqual(untranslated, []);
});

test("Vietnamese sentences are written with their diacritics", () => {
  // Any Vietnamese text of three words or more has at least one letter outside ASCII.
  const bare = Object.entries(vi).filter(([, entry]) =>
    forms(entry).some((text) => {
      const words = text.replace(/\{\w+\}/g, "").match(/\p{L}+/gu) || [];
      return words.length >= 3 && !/\P{ASCII}/u.test(words.join(""));
    }),
  );
  assert.deepEqual(bare, []);
});

test("a Vietnamese entry has the same placeholders as the English one", () => {
  const differing = Object.keys(en).filter(
    (key) =>
      key in vi &&
      [...placeholders(en[key])].sort().join() !== [...placeholders(vi[key])].sort().join(),
  );
  assert.deepEqual(differing, []);
});

test("no text for people is left outside the catalogue", () => {
  const left = scans.flatMap(({ file, untranslated }) =>
    untranslated.map(({ text, line }) => `${file}:${line} ${JSON.stringify(text)}`),
  );
  assert.deepEqual(left, []);
});

test("the scan finds text in h() children, text attributes, textContent and capitalised words", () => {
  const source = `
    h("p", {}, "plain words", count ? "some" : "none", \`\${n} left\`);
    h("button", { "aria-label": "close it", class: "x y" });
    el.textContent = "done";
    toast("Saved.");
    toast(\`\${name} was removed.\`);
    const ok = event.key === "Enter" && t("home.plans");
    label = "Ignored on purpose"; // i18n-ignore
  `;
  const { keys, untranslated } = scanSource(source);
  assert.deepEqual(
    untranslated.map(({ text }) => text),
    ["plain words", "some", "none", "${} left", "close it", "done", "Saved.", "${} was removed."],
  );
  assert.deepEqual(
    keys.map(({ key }) => key),
    ["home.plans"],
  );
});
