// The message log of a conversation: messages in order (sender shown when it changes), unsent
// messages reconciled by client_id, "Load earlier messages", marking what is seen as read, and
// who has seen the last message you sent.

import { api, newClientId } from "../../api.js";
import { h } from "../../lib/dom.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { attempt, toast } from "../../lib/toast.js";
import { messagesWaiting, messagesWithEdits } from "../../offline/pending.js";
import { keepMessage, outbox, submit } from "../../offline/sync.js";
import { editMessage } from "../../offline/writes.js";
import { quoteOf } from "../../state/chat.js";
import { loadEarlierMessages } from "../../state/live.js";
import { store } from "../../state/store.js";
import { pollCard } from "../polls/card.js";
import { messageNode } from "./message.js";
import { messageSender } from "./sending.js";
import { timeline } from "./timeline.js";
import { t } from "../../lib/i18n.js";

/** Names of the others who have read up to `messageId` (live read receipts). */
function seenBy(conversationId, messageId, nameOf) {
  const readers = store.readers.get(conversationId);
  if (!readers) return [];
  return [...readers].filter(([, upTo]) => upTo >= messageId).map(([id]) => nameOf(id));
}

function messageEntry(message, options, actions) {
  const { text, edited_at, deleted_at, sync } = message;
  const signature = JSON.stringify([
    text,
    edited_at,
    deleted_at,
    sync,
    options.quoted,
    options.showSender,
    options.seenBy,
  ]);
  return [`m${message.id}`, signature, () => messageNode(message, options, actions)];
}

/** A poll's card in the stream, rebuilt when anything of the poll changed (a new version). */
const pollEntry = (poll) => [
  `p${poll.id}`,
  JSON.stringify(poll),
  () => h("li", { class: "chat-poll", dataset: { pollId: poll.id } }, pollCard(poll)),
];

/** What the log should show, in order: [key, signature, build]. */
function wantedNodes(conversationId, record, polls, actions, nameOf) {
  const wanted = [];
  let previousSender = null;
  // With the edits still waiting on this device, marked (offline/pending.js).
  const messages = messagesWithEdits(record.items, outbox.entries, conversationId);
  const entries = timeline(messages.values(), polls, { complete: !record.next });
  const mine = entries.filter(
    ({ kind, item }) => kind === "message" && item.sender && item.sender.id === store.me?.id,
  );
  const lastMine = mine.length ? mine.at(-1).item.id : null;
  for (const { kind, item: message } of entries) {
    if (kind === "poll") {
      wanted.push(pollEntry(message));
      previousSender = null; // the message after a card names its sender again
      continue;
    }
    const senderId = message.sender ? message.sender.id : null;
    // The original as loaded, else the server's summary (it may be on an earlier page).
    const original = message.reply_to ? record.items.get(message.reply_to) : null;
    const options = {
      showSender: senderId !== previousSender,
      quoted: original ? quoteOf(original) : message.reply_summary || null,
      seenBy: message.id === lastMine ? seenBy(conversationId, message.id, nameOf) : [],
    };
    previousSender = senderId;
    wanted.push(messageEntry(message, options, actions));
  }
  for (const pending of unsent(record, conversationId)) {
    const original = pending.reply_to ? record.items.get(pending.reply_to) : null;
    const quoted = original ? quoteOf(original) : null;
    const build = () => messageNode(pending, { pending, quoted, showSender: false }, actions);
    wanted.push([`c${pending.client_id}`, pending.status, build]);
  }
  return wanted;
}

/** Messages not yet on the server: being sent from this page, or waiting in the outbox (a
 *  reload keeps those), oldest first. */
function unsent(record, conversationId) {
  const waiting = messagesWaiting(outbox.entries, conversationId, store.me);
  const sent = new Set([...record.items.values()].map((message) => message.client_id));
  const here = [...record.pending.values()].filter((pending) => !waiting.has(pending.client_id));
  return [...waiting.values(), ...here].filter((pending) => !sent.has(pending.client_id));
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

function messageActions(sender, onReply) {
  const text = (message) => message.kind === "text";
  return {
    retry: sender.retry,
    discard: sender.discard,
    reply: (message) => onReply(message),
    edit: (message) =>
      formDialog({
        title: text(message) ? t("chat.messages.edit_message") : t("chat.message.edit_caption"),
        submitLabel: t("common.save"),
        fields: [
          formField(
            text(message) ? t("common.message") : t("chat.messages.caption"),
            {
              name: "text",
              rows: "3",
              maxlength: "4000",
              required: text(message),
              value: message.text,
            },
            { control: "textarea" },
          ),
        ],
        // Works offline: kept in the outbox and shown with its new text (marked) until sent.
        onSubmit: async (data) => {
          const sent = await submit(editMessage(message, data.text, newClientId()));
          if (sent.answer) keepMessage(sent.answer);
          else toast(t("offline.kept_for_later"));
        },
      }),
    remove: async (message) => {
      const sure = await confirmDialog(
        t("chat.messages.delete_this_message"),
        t("chat.messages.everyone_in_the_conversation_sees"),
        t("chat.messages.delete_message"),
      );
      if (sure) await attempt(() => api.del(`messages/${message.id}?version=${message.version}`));
    },
  };
}

/**
 * The log of `conversationId`; `getPolls()` the polls shown among its messages (a group's),
 * `nameOf(userId)` names readers, `onReply(message)` starts a reply.
 */
export function messageLog({ conversationId, getRecord, getPolls, nameOf, onReply }) {
  const log = h("ol", { class: "messages" });
  const scroller = h(
    "div",
    {
      class: "message-scroller",
      role: "log",
      "aria-label": t("chat.messages.messages"),
      tabindex: "0",
    },
    log,
  );
  const earlier = h(
    "button",
    {
      type: "button",
      class: "link-button earlier",
      onclick: () => loadEarlierMessages(conversationId),
    },
    t("chat.messages.load_earlier_messages"),
  );
  const nodes = new Map(); // key → {node, signature}
  const reader = readMarker(conversationId);
  let scrolled = false;

  function render({ scroll = false } = {}) {
    const record = getRecord();
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    reconcile(log, nodes, wantedNodes(conversationId, record, getPolls(), actions, nameOf));
    earlier.hidden = !record.next;
    if (scroll || nearBottom || !scrolled) {
      scroller.scrollTop = scroller.scrollHeight;
      scrolled = true;
    }
    reader.mark(record);
  }
  const sender = messageSender(conversationId, getRecord, render);
  const actions = messageActions(sender, onReply);

  return {
    nodes: [earlier, scroller],
    render,
    send: sender.send,
    markRead: () => reader.mark(getRecord()),
    stop: reader.stop,
  };
}
