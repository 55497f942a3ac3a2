import { t } from "./i18n.js";
// Building DOM without a framework: h() makes elements, replaceChildren() re-renders a container
// without throwing the keyboard focus away.

/** h("button", {class: "x", onclick: fn}, "text", child, [more]) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key in el && !key.includes("-") && typeof value !== "string") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace a container's children, keeping keyboard focus on the element with the same
 *  data-key (re-rendering a list must not throw the user's focus away). */
export function replaceChildren(container, ...children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : null;
  container.replaceChildren();
  append(container, children);
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

/** A screen's "back to" link line. */
export function crumbs(href = "#/", text = t("lib.dom.all_trips")) {
  return h("p", { class: "crumbs" }, h("a", { href }, text));
}

/** A whole-screen message (not found, gone): heading, explanation, a way back. */
export function notice(main, title, text, back = crumbs()) {
  main.replaceChildren(back, h("h1", { tabindex: "-1" }, title), h("p", {}, text));
  return null;
}
