// Chats: every conversation (group and direct) with its unread count and last message, newest
// first; a direct chat with a friend starts here or from the Friends page.

import { api } from "../api.js";
import { formDialog, formField } from "../lib/dialogs.js";
import { h, replaceChildren } from "../lib/dom.js";
import { displayName, formatShort } from "../lib/format.js";
import { attempt, toast } from "../lib/toast.js";
import { friendsWith } from "../state/accounts.js";
import { loadFriends } from "../state/live.js";
import { installConversation } from "../state/chat.js";
import { onChange, store } from "../state/store.js";
import { t } from "../lib/i18n.js";

/** Open (or start) the direct chat with a friend. */
export async function openDirectChat(userId) {
  const conversation = await attempt(() => api.post("conversations", { user: userId }));
  if (!conversation) return;
  installConversation(store, conversation);
  window.location.hash = `#/conversations/${conversation.id}`;
}

function titleOf(conversation) {
  if (conversation.group)
    return store.groups.get(conversation.group)?.data.name || conversation.title;
  return displayName(conversation.other_user) || conversation.title;
}

function row(conversation) {
  const last = conversation.last_message;
  const unread = conversation.unread_count;
  const href = conversation.group
    ? `#/groups/${conversation.group}/chat`
    : `#/conversations/${conversation.id}`;
  const preview = last
    ? `${displayName(last.sender)}: ${last.deleted_at ? t("common.message_deleted") : last.text}`
    : t("conversations.no_messages_yet");
  return h(
    "li",
    { class: "conversation-row card", dataset: { conversationId: conversation.id } },
    h(
      "a",
      { href, class: "conversation-link" },
      h("span", { class: "conversation-title" }, titleOf(conversation)),
      unread ? h("span", { class: "count" }, t("conversations.unread", { count: unread })) : null,
    ),
    h("p", { class: "muted last-message" }, preview),
    last ? h("p", { class: "muted" }, formatShort(last.created_at)) : null,
  );
}

async function startChat() {
  await attempt(loadFriends);
  const friends = friendsWith(store, "accepted").map(({ user }) => [user.id, displayName(user)]);
  if (!friends.length) return toast(t("conversations.add_friends_first_on_the"));
  formDialog({
    title: t("conversations.new_direct_chat"),
    submitLabel: t("group.header.open_chat"),
    fields: [
      formField(t("common.friend"), { name: "user" }, { control: "select", options: friends }),
    ],
    onSubmit: async (data) => {
      await openDirectChat(Number(data.user));
    },
  });
}

export function renderConversations(main) {
  const list = h("ul", {
    class: "conversation-list",
    "aria-label": t("conversations.conversations"),
  });
  const render = () => {
    const items = [...store.conversations.values()]
      .map((record) => record.data)
      .sort((a, b) =>
        (b.last_message_at || b.created_at).localeCompare(a.last_message_at || a.created_at),
      );
    replaceChildren(
      list,
      items.length
        ? items.map(row)
        : h("li", { class: "empty card" }, t("conversations.no_chats_yet")),
    );
  };
  const start = h(
    "button",
    { type: "button", class: "button button-primary", onclick: startChat },
    t("conversations.new_direct_chat"),
  );
  main.replaceChildren(
    h("div", { class: "page-head" }, h("h1", {}, t("shell.chats")), start),
    list,
  );
  render();
  return onChange(({ kind }) => {
    if (["all", "conversation", "group", "group-removed"].includes(kind)) render();
  });
}
