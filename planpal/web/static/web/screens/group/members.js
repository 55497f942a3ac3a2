// The group's members with their roles: managers change roles and remove members; anyone who may
// add people picks one of their friends.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { displayName, initials } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { friendsWith } from "../../state/accounts.js";
import { loadFriends } from "../../state/live.js";
import { store } from "../../state/store.js";
import { isManager } from "./header.js";

const ROLES = [
  ["member", "Member"],
  ["admin", "Admin"],
  ["owner", "Owner"],
];

function roleControl(group, member) {
  const name = displayName(member.user);
  const select = h(
    "select",
    { "aria-label": `Role of ${name}`, dataset: { key: `role-${member.user.id}` } },
    ROLES.map(([value, label]) => h("option", { value, selected: member.role === value }, label)),
  );
  select.addEventListener("change", async () => {
    const body = { role: select.value };
    const done = await attempt(() =>
      api.patch(`groups/${group.id}/members/${member.user.id}`, body),
    );
    if (done) toast(`${name} is now ${select.value}.`);
    else select.value = member.role;
  });
  return select;
}

async function remove(group, member) {
  const name = displayName(member.user);
  const sure = await confirmDialog(
    `Remove ${name} from ${group.name}?`,
    "They will no longer see the group's plans and chat.",
    "Remove member",
  );
  if (!sure) return;
  const gone = await attempt(() => api.del(`groups/${group.id}/members/${member.user.id}`));
  if (gone !== undefined) toast(`${name} was removed.`);
}

function removeButton(group, member) {
  return h(
    "button",
    {
      type: "button",
      class: "button button-quiet",
      "aria-label": `Remove ${displayName(member.user)}`,
      onclick: () => remove(group, member),
    },
    "Remove",
  );
}

/** Owners change roles and remove anyone; admins remove plain members. */
function memberRow(group, member) {
  const me = store.me && member.user.id === store.me.id;
  const owner = group.my_role === "owner";
  const removable = !me && (owner || (group.my_role === "admin" && member.role === "member"));
  return h(
    "li",
    { class: "person member-row", dataset: { userId: member.user.id } },
    h("span", { class: "avatar", "aria-hidden": "true" }, initials(member.user)),
    h("span", { class: "person-name" }, displayName(member.user), me ? " (you)" : ""),
    owner && !me ? roleControl(group, member) : h("span", { class: "presence" }, member.role),
    removable ? removeButton(group, member) : null,
  );
}

async function addMember(group) {
  await attempt(loadFriends);
  const inGroup = store.members.get(group.id)?.items || new Map();
  const choices = friendsWith(store, "accepted")
    .filter((entry) => !inGroup.has(entry.user.id))
    .map((entry) => [entry.user.id, displayName(entry.user)]);
  if (!choices.length) {
    toast(
      "All your friends are in this group. Add friends on the Friends page, or share an invite link.",
    );
    return;
  }
  formDialog({
    title: `Add a friend to ${group.name}`,
    submitLabel: "Add to group",
    fields: [formField("Friend", { name: "user" }, { control: "select", options: choices })],
    onSubmit: async (data) => {
      const member = await api.post(`groups/${group.id}/members`, { user: Number(data.user) });
      toast(`${displayName(member.user)} was added.`);
    },
  });
}

export function memberList(groupId) {
  const list = h("ul", { class: "people member-list", "aria-label": "Members" });
  const add = h("button", { type: "button", class: "button button-secondary" }, "Add a friend");
  add.addEventListener("click", () => addMember(store.groups.get(groupId).data));
  function render() {
    const group = store.groups.get(groupId)?.data;
    const members = store.members.get(groupId);
    if (!group || !members) return;
    add.hidden = !isManager(group);
    const order = { owner: 0, admin: 1, member: 2 };
    const sorted = [...members.items.values()].sort(
      (a, b) =>
        order[a.role] - order[b.role] || displayName(a.user).localeCompare(displayName(b.user)),
    );
    replaceChildren(
      list,
      sorted.map((member) => memberRow(group, member)),
    );
  }
  const node = h(
    "section",
    { "aria-labelledby": "members-title" },
    h("div", { class: "section-head" }, h("h2", { id: "members-title" }, "Members"), add),
    list,
  );
  return { node, render };
}
