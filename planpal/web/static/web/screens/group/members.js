// The group's members with their roles: managers change roles and remove members; anyone who may
// add people picks one of their friends.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { displayName, initials, ROLE_LABELS } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { friendsWith } from "../../state/accounts.js";
import { loadFriends } from "../../state/live.js";
import { store } from "../../state/store.js";
import { isManager } from "./header.js";
import { t } from "../../lib/i18n.js";

const ROLES = [
  ["member", t("group.members.member")],
  ["admin", t("group.members.admin")],
  ["owner", t("group.members.owner")],
];

function roleControl(group, member) {
  const name = displayName(member.user);
  const select = h(
    "select",
    {
      "aria-label": t("group.members.role_of_name", { name }),
      dataset: { key: `role-${member.user.id}` },
    },
    ROLES.map(([value, label]) => h("option", { value, selected: member.role === value }, label)),
  );
  select.addEventListener("change", async () => {
    const body = { role: select.value };
    const done = await attempt(() =>
      api.patch(`groups/${group.id}/members/${member.user.id}`, body),
    );
    if (done) toast(t("group.members.name_is_now_role", { name, role: ROLE_LABELS[select.value] }));
    else select.value = member.role;
  });
  return select;
}

async function remove(group, member) {
  const name = displayName(member.user);
  const sure = await confirmDialog(
    t("group.members.remove_name_from_group", { name, group: group.name }),
    t("group.members.they_will_no_longer_see"),
    t("group.members.remove_member"),
  );
  if (!sure) return;
  const gone = await attempt(() => api.del(`groups/${group.id}/members/${member.user.id}`));
  if (gone !== undefined) toast(t("group.members.name_was_removed", { name }));
}

function removeButton(group, member) {
  return h(
    "button",
    {
      type: "button",
      class: "button button-quiet",
      "aria-label": t("group.members.remove_user", { user: displayName(member.user) }),
      onclick: () => remove(group, member),
    },
    t("common.remove"),
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
    h("span", { class: "person-name" }, displayName(member.user), me ? t("group.members.you") : ""),
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
    toast(t("group.members.all_your_friends_are_in"));
    return;
  }
  formDialog({
    title: t("group.members.add_a_friend_to_name", { name: group.name }),
    submitLabel: t("group.members.add_to_group"),
    fields: [
      formField(t("common.friend"), { name: "user" }, { control: "select", options: choices }),
    ],
    onSubmit: async (data) => {
      const member = await api.post(`groups/${group.id}/members`, { user: Number(data.user) });
      toast(t("group.members.user_was_added", { user: displayName(member.user) }));
    },
  });
}

export function memberList(groupId) {
  const list = h("ul", { class: "people member-list", "aria-label": t("group.members.members") });
  const add = h(
    "button",
    { type: "button", class: "button button-secondary" },
    t("group.members.add_a_friend"),
  );
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
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "members-title" }, t("group.members.members")),
      add,
    ),
    list,
  );
  return { node, render };
}
