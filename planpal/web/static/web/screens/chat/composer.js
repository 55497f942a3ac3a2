// The message composer: Enter sends, Shift+Enter adds a line; typing is announced, throttled
// (the server forwards at most one a second per topic), and a keystroke inside the window is
// announced at its end so a short burst is not lost.

import { h } from "../../lib/dom.js";
import { rt } from "../../state/live.js";

const TYPING_EVERY_MS = 1500;

export function composer(topic, send) {
  const input = h("textarea", {
    id: "composer-input",
    name: "text",
    rows: "1",
    maxlength: "4000",
    placeholder: "Write a message…",
    autocomplete: "off",
  });
  const form = h(
    "form",
    { class: "composer", "aria-label": "Send a message" },
    h("label", { for: "composer-input", class: "visually-hidden" }, "Message"),
    input,
    h("button", { type: "submit", class: "button button-primary" }, "Send"),
  );
  let lastTyping = 0;
  let typingTimer = null;
  const announceTyping = () => {
    typingTimer = null;
    if (!input.value.trim()) return;
    lastTyping = Date.now();
    rt.typing(topic);
  };
  input.addEventListener("input", () => {
    const wait = lastTyping + TYPING_EVERY_MS - Date.now();
    if (wait <= 0) announceTyping();
    else if (!typingTimer) typingTimer = setTimeout(announceTyping, wait);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    clearTimeout(typingTimer);
    typingTimer = null;
    send(text);
  });
  return { node: form, stop: () => clearTimeout(typingTimer) };
}
