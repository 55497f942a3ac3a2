// A conversation: group chat (`#/groups/<id>/chat`: members, presence, typing) or a direct chat
// with a friend (`#/conversations/<id>`). Messages live, optimistic sending reconciled by
// client_id, replies, edits, deletions, read state. Parts: messages.js, people.js, composer.js.

import { h, crumbs, notice } from "../../lib/dom.js";
import { displayName } from "../../lib/format.js";
import { attempt, errorMessage, toast } from "../../lib/toast.js";
import { loadConversation, loadMembers, loadMessages, loadPolls } from "../../state/live.js";
import { pollsOf } from "../../state/polls.js";
import { groupTopic, onChange, store } from "../../state/store.js";
import { newPollDialog } from "../polls/dialog.js";
import { composer } from "./composer.js";
import { messageLog } from "./messages.js";
import { peoplePanel } from "./people.js";
import { t } from "../../lib/i18n.js";

function layout(head, log, compose, people) {
  const aside = people
    ? h(
        "aside",
        { class: "card people-card", "aria-labelledby": "people-title" },
        h("h2", { id: "people-title" }, t("chat.who_s_here")),
        people.list,
      )
    : null;
  return h(
    "div",
    { class: people ? "chat-layout" : "chat-layout single" },
    h(
      "section",
      { class: "chat card", "aria-labelledby": "chat-heading" },
      head,
      log.nodes,
      people ? people.typing : null,
      compose.node,
    ),
    aside,
  );
}

function nameOf(groupId, conversation) {
  return (userId) => {
    const member = groupId && store.members.get(groupId)?.items.get(userId);
    if (member) return displayName(member.user);
    const other = conversation.other_user;
    return other && other.id === userId ? displayName(other) : t("people.someone");
  };
}

/** The chat screen of conversation `conversationId`; `groupId` for a group's chat. */
async function openChat(main, conversationId, groupId, titleOf) {
  let record;
  try {
    const loads = [loadMessages(conversationId)];
    if (groupId) loads.push(loadMembers(groupId));
    [record] = await Promise.all(loads);
  } catch (error) {
    toast(errorMessage(error), { error: true });
    return null;
  }
  store.openConversation = conversationId;
  const conversation = store.conversations.get(conversationId).data;
  const title = h("h1", { id: "chat-heading" }, titleOf());
  const kind = groupId ? t("plan.header.group_chat") : t("chat.direct_chat");
  const head = h("div", { class: "chat-head" }, title, h("p", { class: "muted" }, kind));
  const topic = groupId ? groupTopic(groupId) : null;
  const people = groupId ? peoplePanel(groupId, topic) : null;
  let compose = null;
  const log = messageLog({
    conversationId,
    getRecord: () => record,
    getPolls: () => (topic ? pollsOf(store, topic) : []),
    nameOf: nameOf(groupId, conversation),
    onReply: (message) => compose.startReply(message),
  });
  compose = composer(topic, log.send, topic ? () => newPollDialog(topic) : null);
  const back = groupId
    ? crumbs(`#/groups/${groupId}`, t("chat.group"))
    : crumbs("#/conversations", t("chat.chats"));
  main.replaceChildren(back, layout(head, log, compose, people));
  log.render();
  people?.render();
  people?.renderTyping();
  if (topic) attempt(() => loadPolls(topic)); // the group's polls, shown among the messages
  const onVisible = () => log.markRead();
  document.addEventListener("visibilitychange", onVisible);
  const stop = onChange(({ kind: what, id }) => {
    if (what === "outbox")
      log.render(); // a kept message was sent, or failed
    else if ((what === "messages" || what === "readers") && id === conversationId) {
      record = store.messages.get(conversationId) || record;
      log.render();
    } else if (what === "polls" && id === topic) log.render();
    else if (people && what === "members" && id === groupId) people.render();
    else if (people && what === "typing" && id === topic) people.renderTyping();
    else if (what === "group-removed" && id === groupId) window.location.hash = "#/";
    else if (what === "group" && id === groupId) title.textContent = titleOf();
  });
  return () => {
    stop();
    log.stop();
    people?.stop();
    compose.stop();
    document.removeEventListener("visibilitychange", onVisible);
    if (store.openConversation === conversationId) store.openConversation = null;
  };
}

export async function renderChat(main, groupId) {
  const group = store.groups.get(groupId);
  if (!group || !group.data.conversation) {
    return notice(main, t("chat.chat_not_found"), t("chat.you_are_not_a_member"));
  }
  const conversationId = group.data.conversation;
  if (!store.conversations.has(conversationId)) await loadConversation(conversationId);
  return openChat(main, conversationId, groupId, () => store.groups.get(groupId)?.data.name || "");
}

export async function renderConversation(main, conversationId) {
  let conversation = store.conversations.get(conversationId);
  if (!conversation) {
    conversation = await loadConversation(conversationId).catch(() => null);
    if (!conversation)
      return notice(main, t("chat.chat_not_found"), t("chat.it_does_not_exist_or"));
  }
  if (conversation.data.group) {
    window.location.hash = `#/groups/${conversation.data.group}/chat`;
    return null;
  }
  const title = () => displayName(conversation.data.other_user) || conversation.data.title;
  return openChat(main, conversationId, null, title);
}
