// One chat message: sender, the message it answers, its text (or "Message deleted"), time,
// "edited", "Seen by …", and the actions on it (reply; edit and delete for its sender).

import { h } from "../../lib/dom.js";
import { displayName, formatShort } from "../../lib/format.js";
import { store } from "../../state/store.js";

function body(message) {
  if (message.deleted_at) return h("p", { class: "message-text deleted" }, "Message deleted");
  if (message.kind === "location") {
    return h(
      "p",
      { class: "message-text" },
      `📍 Shared a location (${message.lat}, ${message.lng})`,
    );
  }
  return h("p", { class: "message-text" }, message.text);
}

function quote(original) {
  if (!original) return h("p", { class: "message-quote" }, "Reply to an earlier message");
  const text = original.deleted_at ? "Message deleted" : original.text;
  return h("p", { class: "message-quote" }, `${displayName(original.sender)}: ${text}`);
}

function meta(message, pending, actions) {
  if (pending && pending.status === "failed") {
    const retry = () => actions.retry(message);
    return [
      "Not sent. ",
      h("button", { type: "button", class: "link-button", onclick: retry }, "Retry"),
    ];
  }
  if (pending) return "Sending…";
  return [
    h("time", { datetime: message.created_at }, formatShort(message.created_at)),
    message.edited_at ? " · edited" : "",
  ];
}

function tools(message, mine, actions) {
  if (message.deleted_at || message.kind === "system") return null;
  const button = (label, action) =>
    h(
      "button",
      {
        type: "button",
        class: "link-button",
        "aria-label": `${label} message: ${message.text.slice(0, 40)}`,
        onclick: () => action(message),
      },
      label,
    );
  return h(
    "p",
    { class: "message-tools" },
    button("Reply", actions.reply),
    mine && message.kind === "text" ? button("Edit", actions.edit) : null,
    mine ? button("Delete", actions.remove) : null,
  );
}

/** options: {pending, showSender, original (the message it replies to), seenBy: [names]} */
export function messageNode(message, options, actions) {
  const { pending = null, showSender = true, original = null, seenBy = [] } = options;
  const mine = message.sender && store.me && message.sender.id === store.me.id;
  const classes = ["message", mine ? "mine" : "theirs", message.kind === "system" ? "system" : ""];
  if (pending) classes.push(`pending ${pending.status}`);
  const dataset = { messageId: message.id || "", clientId: message.client_id || "" };
  return h(
    "li",
    { class: classes.join(" "), dataset },
    showSender && !mine && message.kind !== "system"
      ? h("p", { class: "message-sender" }, displayName(message.sender))
      : null,
    message.reply_to ? quote(original) : null,
    body(message),
    h("p", { class: "message-meta" }, meta(message, pending, actions)),
    seenBy.length ? h("p", { class: "message-seen" }, `Seen by ${seenBy.join(", ")}`) : null,
    pending ? null : tools(message, mine, actions),
  );
}
