// Who is in the group chat: members with online / offline (the `presence` op, then live
// presence.changed frames), and who is typing.

import { h, replaceChildren } from "../../lib/dom.js";
import { displayName, initials } from "../../lib/format.js";
import { rt } from "../../state/live.js";
import { store } from "../../state/store.js";
import { locale, t } from "../../lib/i18n.js";

const PRESENCE_EVERY_MS = 10000;

function person(member, isOnline) {
  const isMe = store.me && member.user.id === store.me.id;
  return h(
    "li",
    { class: isOnline ? "person online" : "person", dataset: { userId: member.user.id } },
    h("span", { class: "avatar", "aria-hidden": "true" }, initials(member.user)),
    h(
      "span",
      { class: "person-name" },
      displayName(member.user),
      isMe ? t("people.you_suffix") : "",
    ),
    h("span", { class: "presence" }, isOnline ? t("chat.people.online") : t("chat.people.offline")),
  );
}

function typingText(names) {
  if (!names.length) return "";
  if (names.length === 1) return t("chat.people.one_typing", { name: names[0] });
  return t("chat.people.many_typing", {
    names: new Intl.ListFormat(locale(), { type: "conjunction" }).format(names),
  });
}

export function peoplePanel(groupId, topic) {
  let online = new Set();
  const list = h("ul", { class: "people", "aria-label": t("group.members.members") });
  const typing = h("p", { class: "typing", "aria-live": "polite" });

  function render() {
    const members = store.members.get(groupId);
    if (!members) return;
    const byName = (a, b) => displayName(a.user).localeCompare(displayName(b.user));
    const rank = (member) => Number(online.has(member.user.id));
    const sorted = [...members.items.values()].sort((a, b) => rank(b) - rank(a) || byName(a, b));
    replaceChildren(
      list,
      sorted.map((member) => person(member, online.has(member.user.id))),
    );
  }

  async function refresh() {
    if (rt.state !== "connected") return;
    try {
      online = new Set(await rt.presence(topic));
      render();
    } catch {
      /* not connected or not subscribed yet: the next round asks again */
    }
  }

  function renderTyping() {
    const users = store.typing.get(topic);
    const members = store.members.get(groupId);
    const ids = users ? [...users.keys()] : [];
    const names = ids.map((id) => {
      const member = members && members.items.get(id);
      return member ? displayName(member.user) : t("people.someone");
    });
    typing.textContent = typingText(names);
    if (ids.some((id) => !online.has(id))) refresh();
  }

  const onState = () => {
    if (rt.state === "connected") setTimeout(refresh, 300);
  };
  const onPresence = (event) => {
    const { frame } = event.detail;
    if (frame.topic !== topic) return;
    if (frame.online) online.add(frame.user);
    else online.delete(frame.user);
    render();
  };
  const timer = setInterval(refresh, PRESENCE_EVERY_MS);
  rt.addEventListener("state", onState);
  rt.addEventListener("presence", onPresence);
  refresh();
  return {
    list,
    typing,
    render,
    renderTyping,
    stop() {
      clearInterval(timer);
      rt.removeEventListener("state", onState);
      rt.removeEventListener("presence", onPresence);
    },
  };
}
