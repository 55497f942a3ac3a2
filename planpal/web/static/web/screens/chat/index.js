// Group chat: messages live, optimistic sending reconciled by client_id, typing indicator,
// who is online, read state. The parts are in messages.js, people.js and composer.js.

import { h, crumbs, notice } from "../../lib/dom.js";
import { errorMessage, toast } from "../../lib/toast.js";
import { loadMembers, loadMessages } from "../../state/live.js";
import { groupTopic, onChange, store } from "../../state/store.js";
import { composer } from "./composer.js";
import { messageLog } from "./messages.js";
import { peoplePanel } from "./people.js";

function layout(title, log, people, typing, compose) {
  return h(
    "div",
    { class: "chat-layout" },
    h(
      "section",
      { class: "chat card", "aria-labelledby": "chat-heading" },
      h("div", { class: "chat-head" }, title, h("p", { class: "muted" }, "Group chat")),
      log.nodes,
      typing,
      compose.node,
    ),
    h(
      "aside",
      { class: "card people-card", "aria-labelledby": "people-title" },
      h("h2", { id: "people-title" }, "Who's here"),
      people,
    ),
  );
}

export async function renderChat(main, groupId) {
  const group = store.groups.get(groupId);
  if (!group || !group.data.conversation) {
    return notice(main, "Chat not found", "You are not a member of this group.");
  }
  const conversationId = group.data.conversation;
  const topic = groupTopic(groupId);
  let record;
  try {
    [record] = await Promise.all([loadMessages(conversationId), loadMembers(groupId)]);
  } catch (error) {
    toast(errorMessage(error), { error: true });
    return null;
  }
  store.openConversation = conversationId;
  const title = h("h1", { id: "chat-heading" }, group.data.name);
  const log = messageLog(conversationId, () => record);
  const people = peoplePanel(groupId, topic);
  const compose = composer(topic, log.send);
  main.replaceChildren(crumbs(), layout(title, log, people.list, people.typing, compose));
  log.render();
  people.render();
  people.renderTyping();

  const onVisible = () => log.markRead();
  document.addEventListener("visibilitychange", onVisible);
  const stop = onChange(({ kind, id }) => {
    if (kind === "messages" && id === conversationId) {
      record = store.messages.get(conversationId) || record;
      log.render();
    } else if (kind === "members" && id === groupId) people.render();
    else if (kind === "typing" && id === topic) people.renderTyping();
    else if (kind === "group-removed" && id === groupId) window.location.hash = "#/";
    else if (kind === "group" && id === groupId) title.textContent = group.data.name;
  });
  return () => {
    stop();
    log.stop();
    people.stop();
    compose.stop();
    document.removeEventListener("visibilitychange", onVisible);
    if (store.openConversation === conversationId) store.openConversation = null;
  };
}
