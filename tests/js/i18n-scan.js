// The scan behind tests/js/i18n.test.js (rules in docs/i18n.md, "Web client"): parse each client
// module with espree and list (1) the catalogue keys it uses — the first argument of t("…") —
// and (2) the string literals that would reach the user without the catalogue.
//
// A literal is user-visible text when it contains letters and is
//  - a child of h(tag, attrs, ...children) (also inside ?:, ||, && and + of children), or
//  - the value of a text attribute in h()'s attrs (aria-label, title, placeholder, alt, label), or
//  - assigned to .textContent, .innerText, .title, .placeholder, .ariaLabel, .alt, or
//  - the message of toast(…), or
//  - anywhere at all, when it reads like words for people: a capitalised word ("Save", "New
//    plan") or a sentence (words and a final . ? ! or …: "${name} was deleted.") — except
//    technical names listed in TECHNICAL, and lines marked `// i18n-ignore`.
// Template literals count by their fixed parts (the text outside ${…}).

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import * as espree from "espree";

export const CLIENT = new URL("../../planpal/web/static/web/", import.meta.url).pathname;
const SKIP = new Set(["vendor", "locale"]);
const TEXT_ATTRS = new Set(["aria-label", "title", "placeholder", "alt", "label"]);
const TEXT_PROPS = new Set([
  "textContent",
  "innerText",
  "title",
  "placeholder",
  "ariaLabel",
  "alt",
]);
/** Capitalised words that are names for programs, not text for people. */
export const TECHNICAL = new Set([
  "Accept",
  "Accept-Language",
  "Content-Type",
  "X-CSRFToken",
  "Idempotency-Key",
  "Retry-After",
  "Enter",
  "Escape",
  "ArrowUp",
  "ArrowDown",
  "ArrowLeft",
  "ArrowRight",
  "Home",
  "End",
  "Tab",
  "Backspace",
  "PlanPal",
  "FormData",
  "Error",
  "SameSite=Lax",
]);

export function clientFiles(dir = CLIENT) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP.has(name) ? [] : clientFiles(path);
    return name.endsWith(".js") ? [path] : [];
  });
}

export function parse(source) {
  return espree.parse(source, { ecmaVersion: 2023, sourceType: "module", loc: true, range: true });
}

function walk(node, visit, parent = null) {
  if (!node || typeof node.type !== "string") return;
  visit(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "range") continue;
    if (Array.isArray(value)) value.forEach((child) => walk(child, visit, node));
    else if (value && typeof value === "object") walk(value, visit, node);
  }
}

/** The fixed text of a string or template literal, or null for any other node. */
export function literalText(node) {
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral") return node.quasis.map((q) => q.value.cooked).join("${}");
  return null;
}

const hasLetters = (text) => /\p{L}{2,}/u.test(text.replace(/\$\{\}/g, ""));
const wordy = (text) => {
  const words = text.replace(/\$\{\}/g, " ");
  if (TECHNICAL.has(text)) return false;
  const capitalised = /(^|[^\p{L}\-./_#])\p{Lu}\p{Ll}+/u.test(words);
  const sentence = /\p{L} \p{L}/u.test(words) && /[.?!…]$/u.test(words.trim());
  return capitalised || sentence;
};

/** The literals of an expression that end up as its value (branches of ?:, ||, &&, +). */
function valueLiterals(node) {
  if (!node) return [];
  if (node.type === "TemplateLiteral") return [node, ...node.expressions.flatMap(valueLiterals)];
  if (literalText(node) !== null) return [node];
  if (node.type === "ConditionalExpression") {
    return [...valueLiterals(node.consequent), ...valueLiterals(node.alternate)];
  }
  if (node.type === "LogicalExpression" || node.type === "BinaryExpression") {
    return [...valueLiterals(node.left), ...valueLiterals(node.right)];
  }
  if (node.type === "ArrayExpression") return node.elements.flatMap(valueLiterals);
  return [];
}

function visibleLiterals(node) {
  if (node.type === "CallExpression" && node.callee.name === "toast") {
    return valueLiterals(node.arguments[0]);
  }
  if (node.type === "CallExpression" && node.callee.name === "h") {
    const [, attrs, ...children] = node.arguments;
    const fromAttrs =
      attrs && attrs.type === "ObjectExpression"
        ? attrs.properties
            .filter((p) => TEXT_ATTRS.has(p.key && (p.key.name ?? p.key.value)))
            .flatMap((p) => valueLiterals(p.value))
        : [];
    return [...fromAttrs, ...children.flatMap(valueLiterals)];
  }
  if (
    node.type === "AssignmentExpression" &&
    node.left.type === "MemberExpression" &&
    TEXT_PROPS.has(node.left.property.name)
  ) {
    return valueLiterals(node.right);
  }
  return [];
}

/** {keys: [{key, line}], untranslated: [{text, line}]} of one module's source. */
export function scanSource(source) {
  const lines = source.split("\n");
  const ignored = (node) => lines[node.loc.start.line - 1].includes("i18n-ignore");
  const keys = [];
  const found = new Map(); // node → text
  const keyNodes = new Set();
  walk(parse(source), (node) => {
    if (node.type === "CallExpression" && node.callee.name === "t" && node.arguments[0]) {
      const text = literalText(node.arguments[0]);
      if (text !== null) {
        keys.push({ key: text, line: node.loc.start.line });
        keyNodes.add(node.arguments[0]);
      }
    }
    if (node.type === "ImportDeclaration" || node.type === "ExportNamedDeclaration") {
      if (node.source) keyNodes.add(node.source);
    }
    for (const literal of visibleLiterals(node)) {
      const text = literalText(literal);
      if (hasLetters(text)) found.set(literal, text);
    }
    const text = literalText(node);
    if (text !== null && wordy(text)) found.set(node, text);
  });
  const untranslated = [...found]
    .filter(([node]) => !keyNodes.has(node) && !ignored(node))
    .map(([node, text]) => ({ text, line: node.loc.start.line, node }));
  return { keys, untranslated };
}

export function scanFile(path) {
  return scanSource(readFileSync(path, "utf8"));
}
