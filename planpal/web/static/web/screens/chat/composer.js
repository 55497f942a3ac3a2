// The message composer: Enter sends, Shift+Enter adds a line; typing is announced, throttled
// (the server forwards at most one a second per topic), and a keystroke inside the window is
// announced at its end so a short burst is not lost.

import { h, replaceChildren } from "../../lib/dom.js";
import { displayName } from "../../lib/format.js";
import { rt } from "../../state/live.js";
import { attachButtons } from "./attach.js";
import { describe } from "./message.js";
import { t } from "../../lib/i18n.js";

const TYPING_EVERY_MS = 1500;

/** The "Replying to …" bar above the input, with its cancel button. */
function replyBar(input) {
  const node = h("div", { class: "reply-bar", hidden: true });
  let replyTo = null;
  const cancel = () => {
    replyTo = null;
    node.hidden = true;
  };
  return {
    node,
    get id() {
      return replyTo;
    },
    start(message) {
      replyTo = message.id;
      const text = t("chat.composer.replying_to", {
        name: displayName(message.sender),
        text: describe(message).slice(0, 80),
      });
      const button = h(
        "button",
        { type: "button", class: "link-button" },
        t("chat.composer.cancel_reply"),
      );
      button.addEventListener("click", cancel);
      replaceChildren(node, h("span", {}, text), button);
      node.hidden = false;
      input.focus();
    },
    cancel,
  };
}

/**
 * `topic`: where typing is announced (null: not announced); `send(content, {replyTo})`
 * (content: the text, or a photo, file or place: sending.js); `askPoll()`: opens the new-poll
 * form (a group's chat; null: no "Poll" button).
 */
export function composer(topic, send, askPoll = null) {
  const input = h("textarea", {
    id: "composer-input",
    name: "text",
    rows: "1",
    maxlength: "4000",
    placeholder: t("chat.composer.write_a_message"),
    autocomplete: "off",
  });
  const reply = replyBar(input);
  const form = h(
    "form",
    { class: "composer", "aria-label": t("chat.composer.send_a_message") },
    attachButtons((content) => {
      send(content, { replyTo: reply.id });
      reply.cancel();
    }),
    h("label", { for: "composer-input", class: "visually-hidden" }, t("common.message")),
    input,
    askPoll
      ? h(
          "button",
          { type: "button", class: "button button-secondary", onclick: askPoll },
          t("chat.composer.poll"),
        )
      : null,
    h("button", { type: "submit", class: "button button-primary" }, t("chat.composer.send")),
  );
  let lastTyping = 0;
  let typingTimer = null;
  const announceTyping = () => {
    typingTimer = null;
    if (!input.value.trim() || !topic) return;
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
    send(text, { replyTo: reply.id });
    reply.cancel();
  });
  return {
    node: h("div", { class: "composer-wrap" }, reply.node, form),
    startReply: (message) => reply.start(message),
    stop: () => clearTimeout(typingTimer),
  };
}
