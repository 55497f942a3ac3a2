// Group chat: messages live, optimistic sending reconciled by client_id, typing indicator,
// who is online (the `presence` op), read state (POST conversations/{id}/read).

import { api, newClientId } from "./api.js";
import {
  groupTopic,
  loadEarlierMessages,
  loadMembers,
  loadMessages,
  onChange,
  rt,
  store,
} from "./state.js";
import { displayName, errorMessage, formatShort, h, initials, replaceChildren, toast } from "./ui.js";

const PRESENCE_EVERY_MS = 10000;
const TYPING_EVERY_MS = 1500;

export async function renderChat(main, groupId) {
  const group = store.groups.get(groupId);
  if (!group || !group.data.conversation) {
    main.replaceChildren(
      h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← All trips")),
      h("h1", {}, "Chat not found"),
      h("p", {}, "You are not a member of this group."),
    );
    return null;
  }
  const conversationId = group.data.conversation;
  const topic = groupTopic(groupId);
  let online = new Set();
  let record;
  try {
    [record] = await Promise.all([loadMessages(conversationId), loadMembers(groupId)]);
  } catch (error) {
    toast(errorMessage(error), { error: true });
    return null;
  }
  store.openConversation = conversationId;

  const title = h("h1", { id: "chat-heading" }, group.data.name);
  const people = h("ul", { class: "people", "aria-label": "Members" });
  const log = h("ol", { class: "messages", role: "log", "aria-label": "Messages" });
  const scroller = h("div", { class: "message-scroller" }, log);
  const earlier = h(
    "button",
    { type: "button", class: "link-button earlier", onclick: () => loadEarlierMessages(conversationId) },
    "Load earlier messages",
  );
  const typing = h("p", { class: "typing", "aria-live": "polite" });
  const input = h("textarea", {
    id: "composer-input",
    name: "text",
    rows: "1",
    maxlength: "4000",
    placeholder: "Write a message…",
    autocomplete: "off",
  });
  const composer = h(
    "form",
    { class: "composer", "aria-label": "Send a message" },
    h("label", { for: "composer-input", class: "visually-hidden" }, "Message"),
    input,
    h("button", { type: "submit", class: "button button-primary" }, "Send"),
  );

  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← All trips")),
    h(
      "div",
      { class: "chat-layout" },
      h(
        "section",
        { class: "chat card", "aria-labelledby": "chat-heading" },
        h("div", { class: "chat-head" }, title, h("p", { class: "muted" }, "Group chat")),
        earlier,
        scroller,
        typing,
        composer,
      ),
      h(
        "aside",
        { class: "card people-card", "aria-labelledby": "people-title" },
        h("h2", { id: "people-title" }, "Who's here"),
        people,
      ),
    ),
  );

  // -------------------------------------------------------------- messages
  const nodes = new Map(); // key → {node, signature}

  function messageNode(message, { pending = null, showSender = true } = {}) {
    const mine = message.sender && store.me && message.sender.id === store.me.id;
    const classes = ["message", mine ? "mine" : "theirs", message.kind === "system" ? "system" : ""];
    if (pending) classes.push(`pending ${pending.status}`);
    let body;
    if (message.deleted_at) body = h("p", { class: "message-text deleted" }, "Message deleted");
    else if (message.kind === "location") {
      body = h("p", { class: "message-text" }, `📍 Shared a location (${message.lat}, ${message.lng})`);
    } else body = h("p", { class: "message-text" }, message.text);
    return h(
      "li",
      { class: classes.join(" "), dataset: { messageId: message.id || "", clientId: message.client_id || "" } },
      showSender && !mine && message.kind !== "system"
        ? h("p", { class: "message-sender" }, displayName(message.sender))
        : null,
      body,
      h(
        "p",
        { class: "message-meta" },
        pending
          ? pending.status === "failed"
            ? [
                "Not sent. ",
                h("button", { type: "button", class: "link-button", onclick: () => send(message.text, message.client_id) }, "Retry"),
              ]
            : "Sending…"
          : [h("time", { datetime: message.created_at }, formatShort(message.created_at)), message.edited_at ? " · edited" : ""],
      ),
    );
  }

  function renderMessages() {
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    const wanted = [];
    const sorted = [...record.items.values()].sort((a, b) => a.id - b.id);
    let previousSender = null;
    for (const message of sorted) {
      const senderId = message.sender ? message.sender.id : null;
      const showSender = senderId !== previousSender;
      previousSender = senderId;
      wanted.push([
        `m${message.id}`,
        JSON.stringify([message.text, message.edited_at, message.deleted_at, showSender]),
        () => messageNode(message, { showSender }),
      ]);
    }
    for (const pending of record.pending.values()) {
      wanted.push([`c${pending.client_id}`, pending.status, () => messageNode(pending, { pending, showSender: false })]);
    }
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
    earlier.hidden = !record.next;
    if (nearBottom || !renderMessages.scrolled) {
      scroller.scrollTop = scroller.scrollHeight;
      renderMessages.scrolled = true;
    }
    markRead();
  }

  async function send(text, clientId = newClientId()) {
    const me = store.me;
    record.pending.set(clientId, {
      client_id: clientId,
      text,
      kind: "text",
      sender: { id: me.id, username: me.username, display_name: me.display_name },
      created_at: new Date().toISOString(),
      status: "sending",
    });
    renderMessages();
    scroller.scrollTop = scroller.scrollHeight;
    try {
      const message = await api.post(`conversations/${conversationId}/messages`, {
        kind: "text",
        text,
        client_id: clientId,
      });
      // Usually the group.message_sent event (same client_id) has replaced it already.
      if (!record.items.has(message.id)) record.items.set(message.id, message);
      record.pending.delete(clientId);
    } catch (error) {
      const pending = record.pending.get(clientId);
      if (pending) pending.status = "failed";
      toast(errorMessage(error), { error: true });
    }
    renderMessages();
  }

  // -------------------------------------------------------------- read state
  let reading = null;
  let marked = 0; // the newest message this screen has marked read
  function markRead() {
    const conversation = store.conversations.get(conversationId);
    const latest = Math.max(0, ...[...record.items.keys()]);
    const readUpTo = Math.max(marked, conversation ? conversation.data.last_read_message_id || 0 : 0);
    if (!latest || latest <= readUpTo || document.visibilityState !== "visible" || reading) return;
    reading = setTimeout(async () => {
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
    }, 300);
  }

  // -------------------------------------------------------------- people and typing
  function renderPeople() {
    const members = store.members.get(groupId);
    if (!members) return;
    const list = [...members.items.values()].sort(
      (a, b) => Number(online.has(b.user.id)) - Number(online.has(a.user.id)) || displayName(a.user).localeCompare(displayName(b.user)),
    );
    replaceChildren(
      people,
      list.map((member) => {
        const isOnline = online.has(member.user.id);
        const isMe = store.me && member.user.id === store.me.id;
        return h(
          "li",
          { class: isOnline ? "person online" : "person", dataset: { userId: member.user.id } },
          h("span", { class: "avatar", "aria-hidden": "true" }, initials(member.user)),
          h("span", { class: "person-name" }, displayName(member.user), isMe ? " (you)" : ""),
          h("span", { class: "presence" }, isOnline ? "online" : "offline"),
        );
      }),
    );
  }

  async function refreshPresence() {
    if (rt.state !== "connected") return;
    try {
      online = new Set(await rt.presence(topic));
      renderPeople();
    } catch {
      /* not connected or not subscribed yet: the next round asks again */
    }
  }

  function renderTyping() {
    const users = store.typing.get(topic);
    const members = store.members.get(groupId);
    const names = users
      ? [...users.keys()].map((id) => {
          const member = members && members.items.get(id);
          return member ? displayName(member.user) : "Someone";
        })
      : [];
    typing.textContent = !names.length
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are typing…`;
    if (users) for (const id of users.keys()) if (!online.has(id)) refreshPresence();
  }

  // Typing ops are throttled (the server forwards at most one a second per topic); a keystroke
  // inside the window is announced at its end, so a short burst is not lost.
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
      composer.requestSubmit();
    }
  });
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    clearTimeout(typingTimer);
    typingTimer = null;
    send(text);
  });

  renderMessages();
  renderPeople();
  renderTyping();
  refreshPresence();
  const presenceTimer = setInterval(refreshPresence, PRESENCE_EVERY_MS);
  const onState = () => {
    if (rt.state === "connected") setTimeout(refreshPresence, 300);
  };
  rt.addEventListener("state", onState);
  const onPresence = (event) => {
    const { frame } = event.detail;
    if (frame.topic !== topic) return;
    if (frame.online) online.add(frame.user);
    else online.delete(frame.user);
    renderPeople();
  };
  rt.addEventListener("presence", onPresence);
  const onVisible = () => markRead();
  document.addEventListener("visibilitychange", onVisible);
  const stop = onChange(({ kind, id }) => {
    if (kind === "messages" && id === conversationId) {
      record = store.messages.get(conversationId) || record;
      renderMessages();
    } else if (kind === "members" && id === groupId) renderPeople();
    else if (kind === "typing" && id === topic) renderTyping();
    else if (kind === "group-removed" && id === groupId) window.location.hash = "#/";
    else if (kind === "group" && id === groupId) {
      title.textContent = group.data.name;
    }
  });
  return () => {
    stop();
    clearInterval(presenceTimer);
    clearTimeout(reading);
    clearTimeout(typingTimer);
    rt.removeEventListener("state", onState);
    rt.removeEventListener("presence", onPresence);
    document.removeEventListener("visibilitychange", onVisible);
    if (store.openConversation === conversationId) store.openConversation = null;
  };
}
