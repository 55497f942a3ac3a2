// One chat message: sender, the message it answers, its content by kind (text; a photo that
// opens the viewer; a file chip with its size; a place card with a map link; "Message
// deleted"), time, "edited", "Seen by …", and its actions (reply; edit, delete for its sender).

import { h } from "../../lib/dom.js";
import { displayName, formatBytes, formatShort } from "../../lib/format.js";
import { markText } from "../../offline/marks.js";
import { store } from "../../state/store.js";
import { openViewer, uploadHref } from "./viewer.js";
import { t } from "../../lib/i18n.js";

const KIND_LABELS = {
  image: t("chat.message.photo"),
  file: t("chat.message.file"),
  location: t("chat.message.location"),
};

/** A few words that name the message (screen reader labels, the reply bar). */
export function describe(message) {
  const name = message.attachment ? message.attachment.name : message.file_name;
  return message.text || message.location_name || name || KIND_LABELS[message.kind] || "";
}

const caption = (message) =>
  message.text ? h("p", { class: "message-text message-caption" }, message.text) : null;

function imageBody(message) {
  const { attachment } = message;
  const alt = message.text || attachment.name;
  const thumbnail = h("img", {
    class: "message-image",
    src: uploadHref(attachment, { thumbnail: true }),
    alt,
    width: attachment.width || null,
    height: attachment.height || null,
    loading: "lazy",
  });
  const open = () => openViewer(attachment, alt);
  return [
    h("button", { type: "button", class: "image-button", onclick: open }, thumbnail),
    caption(message),
  ];
}

function fileBody(message) {
  const { attachment } = message;
  return [
    h(
      "a",
      { class: "file-chip", href: uploadHref(attachment), download: attachment.name },
      h("span", { class: "file-name" }, `📎 ${attachment.name}`),
      h("span", { class: "file-size" }, formatBytes(attachment.size)),
    ),
    caption(message),
  ];
}

/** The OpenStreetMap page with a marker on the place. */
export function mapLink(lat, lng) {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`;
}

function locationBody(message) {
  const { lat, lng } = message;
  return h(
    "div",
    { class: "location-card" },
    h(
      "p",
      { class: "location-name" },
      `📍 ${message.location_name || t("chat.message.shared_location")}`,
    ),
    h("p", { class: "location-coords" }, `${lat.toFixed(5)}, ${lng.toFixed(5)}`),
    h(
      "a",
      { href: mapLink(lat, lng), target: "_blank", rel: "noopener noreferrer" },
      t("chat.message.open_in_openstreetmap"),
    ),
    caption(message),
  );
}

function body(message) {
  if (message.deleted_at)
    return h("p", { class: "message-text deleted" }, t("common.message_deleted"));
  if (message.kind === "location") return locationBody(message);
  if (message.kind === "image" || message.kind === "file") {
    // Still uploading (an unsent message has no attachment yet): name the file.
    if (!message.attachment) return h("p", { class: "message-text" }, describe(message));
    return message.kind === "image" ? imageBody(message) : fileBody(message);
  }
  return h("p", { class: "message-text" }, message.text);
}

/** `quoted`: the reply's original, {sender, kind, text, deleted} (state/chat.js quoteOf). */
function quote(quoted) {
  if (!quoted)
    return h("p", { class: "message-quote" }, t("chat.message.reply_to_an_earlier_message"));
  const text = quoted.deleted
    ? t("common.message_deleted")
    : quoted.text || KIND_LABELS[quoted.kind] || "";
  return h("p", { class: "message-quote" }, `${displayName(quoted.sender)}: ${text}`);
}

function meta(message, pending, actions) {
  if (pending && pending.status === "failed") {
    const retry = () => actions.retry(message);
    const discard = () => actions.discard(message);
    return [
      `${t("chat.message.not_sent")} `,
      h(
        "button",
        { type: "button", class: "link-button", onclick: retry },
        t("chat.message.retry"),
      ),
      " · ",
      h(
        "button",
        { type: "button", class: "link-button", onclick: discard },
        t("chat.message.discard"),
      ),
    ];
  }
  if (pending && pending.status === "queued") return t("chat.message.waiting_for_connection");
  if (pending) return t("chat.message.sending");
  return [
    h("time", { datetime: message.created_at }, formatShort(message.created_at)),
    message.edited_at ? ` · ${t("chat.message.edited")}` : "",
    message.sync ? syncMark(message.sync) : "",
  ];
}

/** An edit kept on this device (offline/pending.js messagesWithEdits): marked until sent. */
const syncMark = (sync) => [" · ", h("span", { class: `sync-mark sync-${sync}` }, markText(sync))];

function tools(message, mine, actions) {
  if (message.deleted_at || message.kind === "system") return null;
  const excerpt = { text: describe(message).slice(0, 40) };
  const button = (label, name, action) =>
    h(
      "button",
      {
        type: "button",
        class: "link-button",
        "aria-label": name,
        onclick: () => action(message),
      },
      label,
    );
  return h(
    "p",
    { class: "message-tools" },
    button(t("chat.message.reply"), t("chat.message.reply_to", excerpt), actions.reply),
    mine && message.kind === "text"
      ? button(t("common.edit"), t("chat.message.edit_message_text", excerpt), actions.edit)
      : null,
    mine && message.kind !== "text"
      ? button(
          t("chat.message.edit_caption"),
          t("chat.message.edit_caption_of", excerpt),
          actions.edit,
        )
      : null,
    mine
      ? button(t("common.delete"), t("chat.message.delete_message_text", excerpt), actions.remove)
      : null,
  );
}

/** options: {pending, showSender, quoted (what it replies to: quoteOf), seenBy: [names]} */
export function messageNode(message, options, actions) {
  const { pending = null, showSender = true, quoted = null, seenBy = [] } = options;
  const mine = message.sender && store.me && message.sender.id === store.me.id;
  const classes = ["message", mine ? "mine" : "theirs", message.kind === "system" ? "system" : ""];
  if (pending) classes.push(`pending ${pending.status}`);
  if (message.sync) classes.push(`sync-${message.sync}`);
  const dataset = { messageId: message.id || "", clientId: message.client_id || "" };
  return h(
    "li",
    { class: classes.join(" "), dataset },
    showSender && !mine && message.kind !== "system"
      ? h("p", { class: "message-sender" }, displayName(message.sender))
      : null,
    message.reply_to ? quote(quoted) : null,
    body(message),
    h("p", { class: "message-meta" }, meta(message, pending, actions)),
    seenBy.length
      ? h(
          "p",
          { class: "message-seen" },
          t("chat.message.seen_by_value", { value: seenBy.join(", ") }),
        )
      : null,
    pending ? null : tools(message, mine, actions),
  );
}
