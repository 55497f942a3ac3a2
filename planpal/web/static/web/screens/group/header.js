// The group page's head: name and description, the way to its chat, and edit / delete (managers,
// owners) and leave.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { attempt, toast } from "../../lib/toast.js";
import { forgetTopic } from "../../state/live.js";
import { groupTopic, store } from "../../state/store.js";
import { ROLE_LABELS } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";

export const isManager = (group) => group.my_role === "owner" || group.my_role === "admin";

function editGroup(group) {
  formDialog({
    title: t("group.header.edit_group"),
    submitLabel: t("common.save"),
    fields: [
      formField(t("home.name"), {
        name: "name",
        required: true,
        maxlength: "100",
        value: group.name,
      }),
      formField(
        t("common.description"),
        { name: "description", rows: "3", value: group.description || "" },
        { control: "textarea" },
      ),
    ],
    onSubmit: async (data) => {
      Object.assign(group, await api.patch(`groups/${group.id}`, data));
      toast(t("group.header.group_saved"));
    },
  });
}

async function deleteGroup(group) {
  const sure = await confirmDialog(
    t("group.header.delete_name", { name: group.name }),
    t("group.header.its_plans_chat_and_invite"),
    t("group.header.delete_group"),
  );
  if (!sure || (await attempt(() => api.del(`groups/${group.id}`))) === undefined) return;
  forgetTopic(groupTopic(group.id));
  toast(t("group.header.name_was_deleted", { name: group.name }));
  window.location.hash = "#/";
}

async function leaveGroup(group) {
  const sure = await confirmDialog(
    t("group.header.leave_name", { name: group.name }),
    t("group.header.you_will_no_longer_see"),
    t("group.header.leave_group"),
  );
  if (!sure) return;
  const me = store.me.id;
  if ((await attempt(() => api.del(`groups/${group.id}/members/${me}`))) === undefined) return;
  forgetTopic(groupTopic(group.id));
  toast(t("group.header.you_left_name", { name: group.name }));
  window.location.hash = "#/";
}

export function groupHeader(groupId) {
  const node = h("div", { class: "group-head" });
  function render() {
    const record = store.groups.get(groupId);
    if (!record) return;
    const group = record.data;
    const members = t("common.member_count", { count: group.member_count });
    const button = (label, onclick, style = "button button-quiet") =>
      h("button", { type: "button", class: style, onclick: () => onclick(group) }, label);
    replaceChildren(
      node,
      h("h1", {}, group.name),
      h(
        "p",
        { class: "muted" },
        t("group.header.members_you_are_role", {
          members,
          role: ROLE_LABELS[group.my_role] || group.my_role,
        }),
      ),
      group.description ? h("p", { class: "description" }, group.description) : null,
      h(
        "div",
        { class: "actions" },
        h(
          "a",
          { class: "button button-primary", href: `#/groups/${group.id}/chat` },
          t("group.header.open_chat"),
        ),
        isManager(group) ? button(t("group.header.edit_group"), editGroup) : null,
        group.my_role === "owner"
          ? button(t("group.header.delete_group"), deleteGroup, "button button-danger")
          : null,
        button(t("group.header.leave_group"), leaveGroup, "button button-danger"),
      ),
    );
  }
  return { node, render };
}
