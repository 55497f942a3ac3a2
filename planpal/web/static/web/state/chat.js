// Chat: conversations (summary, unread count, last message), their loaded messages with the
// ones still being sent, and who is typing. Pure: no DOM, no network.

import { conversationOfGroup } from "./store.js";

export function installConversation(store, conversation) {
  const record = { data: conversation, seq: conversation.stream.seq };
  store.conversations.set(conversation.id, record);
  return record;
}

/** The newest page of a conversation's messages (oldest first), keeping unsent messages. */
export function installMessages(store, conversationId, page) {
  const previous = store.messages.get(conversationId);
  const items = new Map([...page.results].reverse().map((message) => [message.id, message]));
  const record = {
    items,
    pending: previous ? previous.pending : new Map(),
    seq: page.stream.seq,
    next: page.next,
  };
  store.messages.set(conversationId, record);
  for (const message of items.values()) settlePending(record, message);
  return record;
}

export function installEarlierMessages(record, page) {
  const older = [...page.results].reverse().filter((message) => !record.items.has(message.id));
  record.items = new Map([...older.map((message) => [message.id, message]), ...record.items]);
  record.next = page.next;
}

export function forgetConversationOfGroup(ctx, groupId) {
  const conversation = conversationOfGroup(ctx.store, groupId);
  if (!conversation) return;
  ctx.store.conversations.delete(conversation.data.id);
  ctx.store.messages.delete(conversation.data.id);
}

function settlePending(record, message) {
  if (message.client_id) record.pending.delete(message.client_id);
}

/** What a reply quotes of `message`: the server's rule for `reply_summary` (realtime.md,
 *  MessageData), so a quote follows the original's edits and deletion without a refetch. */
export function quoteOf(message) {
  const deleted = Boolean(message.deleted_at);
  const name = message.attachment ? message.attachment.name : "";
  const text = message.text || message.location_name || name || "";
  const { id, sender, kind } = message;
  return { id, sender, kind, text: deleted ? "" : text.slice(0, 140), deleted };
}

/** An edited or deleted message: the replies that quote it show the new quote. */
function requote(record, original) {
  for (const [id, message] of record.items) {
    if (message.reply_to === original.id) {
      record.items.set(id, { ...message, reply_summary: quoteOf(original) });
    }
  }
}

function updateSummary(ctx, info, frame) {
  const { event, data } = frame;
  if (event.endsWith(".message_sent")) {
    info.last_message = data;
    info.last_message_at = data.created_at;
    const mine = data.sender && data.sender.id === ctx.me;
    if (!mine && ctx.store.openConversation !== info.id) info.unread_count += 1;
  } else if (event.endsWith(".messages_read")) {
    if (data.user_id !== ctx.me) return;
    const lastId = info.last_message ? info.last_message.id : 0;
    info.last_read_message_id = data.last_read_message_id;
    if (data.last_read_message_id >= lastId) info.unread_count = 0;
    else ctx.need({ type: "load-conversation", id: info.id });
  } else if (info.last_message?.id === data.id) {
    info.last_message = data; // edited or deleted: the summary shows the current text
  }
}

function applyChat(ctx, frame) {
  const { store } = ctx;
  const conversationId = frame.data.conversation_id;
  const conversation = store.conversations.get(conversationId);
  if (!conversation && frame.event === "direct.message_sent") {
    ctx.need({ type: "load-conversation", id: conversationId }); // someone wrote to us first
  }
  if (frame.event.endsWith(".messages_read")) noteReader(ctx, frame.data);
  if (conversation && frame.seq > conversation.seq) {
    conversation.seq = frame.seq;
    updateSummary(ctx, conversation.data, frame);
    ctx.changed("conversation", conversationId);
  }
  const messages = store.messages.get(conversationId);
  if (messages && frame.seq > messages.seq && !frame.event.endsWith(".messages_read")) {
    messages.seq = frame.seq;
    messages.items.set(frame.data.id, frame.data);
    settlePending(messages, frame.data);
    if (frame.event.endsWith(".message_sent")) {
      stopTyping(ctx, frame.topic, frame.data.sender && frame.data.sender.id);
    } else requote(messages, frame.data);
    ctx.changed("messages", conversationId);
  }
}

/** Who else has read how far (from live read receipts): shown as "Seen by" under messages. */
function noteReader(ctx, data) {
  if (data.user_id === ctx.me) return;
  const readers = ctx.store.readers.get(data.conversation_id) || new Map();
  readers.set(data.user_id, Math.max(readers.get(data.user_id) || 0, data.last_read_message_id));
  ctx.store.readers.set(data.conversation_id, readers);
  ctx.changed("readers", data.conversation_id);
}

export const reducers = {
  "group.message_sent": applyChat,
  "group.message_edited": applyChat,
  "group.message_deleted": applyChat,
  "group.messages_read": applyChat,
  "direct.message_sent": applyChat,
  "direct.message_edited": applyChat,
  "direct.message_deleted": applyChat,
  "direct.messages_read": applyChat,
};

// ---------------------------------------------------------------------------- typing
export const TYPING_SHOWN_MS = 3500;

/** Someone else is typing in `frame.topic`: show it for a few seconds. */
export function noteTyping(ctx, frame) {
  if (frame.user === ctx.me) return;
  const users = ctx.store.typing.get(frame.topic) || new Map();
  clearTimeout(users.get(frame.user));
  users.set(
    frame.user,
    setTimeout(() => stopTyping(ctx, frame.topic, frame.user), TYPING_SHOWN_MS),
  );
  ctx.store.typing.set(frame.topic, users);
  ctx.changed("typing", frame.topic);
}

export function stopTyping(ctx, topic, userId) {
  const users = ctx.store.typing.get(topic);
  if (!users || !users.has(userId)) return;
  clearTimeout(users.get(userId));
  users.delete(userId);
  ctx.changed("typing", topic);
}
