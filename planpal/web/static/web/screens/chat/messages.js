// The message log of a conversation: messages in order (sender shown when it changes), unsent
// messages reconciled by client_id, "Load earlier messages", and marking what is seen as read.

import { api, newClientId } from "../../api.js";
import { h } from "../../lib/dom.js";
import { displayName, formatShort } from "../../lib/format.js";
import { errorMessage, toast } from "../../lib/toast.js";
import { loadEarlierMessages } from "../../state/live.js";
import { store } from "../../state/store.js";

function messageBody(message) {
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

function messageMeta(message, pending, retry) {
  if (pending && pending.status === "failed") {
    return [
      "Not sent. ",
      h("button", { type: "button", class: "link-button", onclick: () => retry(message) }, "Retry"),
    ];
  }
  if (pending) return "Sending…";
  return [
    h("time", { datetime: message.created_at }, formatShort(message.created_at)),
    message.edited_at ? " · edited" : "",
  ];
}

function messageNode(message, { pending = null, showSender = true, retry }) {
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
    messageBody(message),
    h("p", { class: "message-meta" }, messageMeta(message, pending, retry)),
  );
}

/** What the log should show, in order: [key, signature, build]. */
function wantedNodes(record, retry) {
  const wanted = [];
  let previousSender = null;
  for (const message of [...record.items.values()].sort((a, b) => a.id - b.id)) {
    const senderId = message.sender ? message.sender.id : null;
    const showSender = senderId !== previousSender;
    previousSender = senderId;
    const signature = JSON.stringify([
      message.text,
      message.edited_at,
      message.deleted_at,
      showSender,
    ]);
    wanted.push([`m${message.id}`, signature, () => messageNode(message, { showSender, retry })]);
  }
  for (const pending of record.pending.values()) {
    const build = () => messageNode(pending, { pending, showSender: false, retry });
    wanted.push([`c${pending.client_id}`, pending.status, build]);
  }
  return wanted;
}

/** Bring `log` in line with `wanted`, rebuilding only the nodes whose signature changed. */
function reconcile(log, nodes, wanted) {
  const keys = new Set(wanted.map(([key]) => key));
  for (const [key, entry] of nodes) {
    if (!keys.has(key)) {
      entry.node.remove();
      nodes.delete(key);
    }
  }
  let cursor = null; // the node the next one must follow
  for (const [key, signature, build] of wanted) {
    let entry = nodes.get(key);
    if (!entry || entry.signature !== signature) {
      const node = build();
      if (entry) entry.node.replaceWith(node);
      entry = { node, signature };
      nodes.set(key, entry);
    }
    const expected = cursor ? cursor.nextSibling : log.firstChild;
    if (entry.node !== expected) log.insertBefore(entry.node, expected);
    cursor = entry.node;
  }
}

/** Marks the newest message read, at most one request at a time. */
function readMarker(conversationId) {
  let reading = null;
  let marked = 0; // the newest message this screen has marked read
  async function post(latest) {
    try {
      const state = await api.post(`conversations/${conversationId}/read`, { message_id: latest });
      marked = Math.max(marked, state.last_read_message_id);
      const current = store.conversations.get(conversationId);
      if (current) {
        current.data.unread_count = state.unread_count;
        current.data.last_read_message_id = state.last_read_message_id;
      }
    } catch {
      /* tried again with the next message */
    } finally {
      reading = null;
    }
  }
  return {
    mark(record) {
      const conversation = store.conversations.get(conversationId);
      const latest = Math.max(0, ...record.items.keys());
      const known = conversation ? conversation.data.last_read_message_id || 0 : 0;
      if (!latest || latest <= Math.max(marked, known) || reading) return;
      if (document.visibilityState !== "visible") return;
      reading = setTimeout(() => post(latest), 300);
    },
    stop: () => clearTimeout(reading),
  };
}

export function messageLog(conversationId, getRecord) {
  const log = h("ol", { class: "messages", role: "log", "aria-label": "Messages" });
  const scroller = h("div", { class: "message-scroller", tabindex: "0" }, log);
  const earlier = h(
    "button",
    {
      type: "button",
      class: "link-button earlier",
      onclick: () => loadEarlierMessages(conversationId),
    },
    "Load earlier messages",
  );
  const nodes = new Map(); // key → {node, signature}
  const reader = readMarker(conversationId);
  let scrolled = false;

  function render() {
    const record = getRecord();
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    reconcile(
      log,
      nodes,
      wantedNodes(record, (message) => send(message.text, message.client_id)),
    );
    earlier.hidden = !record.next;
    if (nearBottom || !scrolled) {
      scroller.scrollTop = scroller.scrollHeight;
      scrolled = true;
    }
    reader.mark(record);
  }

  async function send(text, clientId = newClientId()) {
    const record = getRecord();
    const { id, username, display_name } = store.me;
    const sender = { id, username, display_name };
    const created_at = new Date().toISOString();
    const pending = { client_id: clientId, text, kind: "text", sender, created_at };
    record.pending.set(clientId, { ...pending, status: "sending" });
    render();
    scroller.scrollTop = scroller.scrollHeight;
    try {
      const body = { kind: "text", text, client_id: clientId };
      const message = await api.post(`conversations/${conversationId}/messages`, body);
      // Usually the message_sent event (same client_id) has replaced it already.
      if (!record.items.has(message.id)) record.items.set(message.id, message);
      record.pending.delete(clientId);
    } catch (error) {
      const failed = record.pending.get(clientId);
      if (failed) failed.status = "failed";
      toast(errorMessage(error), { error: true });
    }
    render();
  }

  return {
    nodes: [earlier, scroller],
    render,
    send,
    markRead: () => reader.mark(getRecord()),
    stop: reader.stop,
  };
}
