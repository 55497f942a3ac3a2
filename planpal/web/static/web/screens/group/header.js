// The group page's head: name and description, the way to its chat, and edit / delete (managers,
// owners) and leave.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { attempt, toast } from "../../lib/toast.js";
import { forgetTopic } from "../../state/live.js";
import { groupTopic, store } from "../../state/store.js";
import { t } from "../../lib/i18n.js";

export const isManager = (group) => group.my_role === "owner" || group.my_role === "admin";

function editGroup(group) {
  formDialog({
    title: "Edit group",
    submitLabel: "Save",
    fields: [
      formField("Name", { name: "name", required: true, maxlength: "100", value: group.name }),
      formField(
        "Description",
        { name: "description", rows: "3", value: group.description || "" },
        { control: "textarea" },
      ),
    ],
    onSubmit: async (data) => {
      Object.assign(group, await api.patch(`groups/${group.id}`, data));
      toast("Group saved.");
    },
  });
}

async function deleteGroup(group) {
  const sure = await confirmDialog(
    `Delete “${group.name}”?`,
    "Its plans, chat and invite links are deleted for everyone. This cannot be undone.",
    "Delete group",
  );
  if (!sure || (await attempt(() => api.del(`groups/${group.id}`))) === undefined) return;
  forgetTopic(groupTopic(group.id));
  toast(`${group.name} was deleted.`);
  window.location.hash = "#/";
}

async function leaveGroup(group) {
  const sure = await confirmDialog(
    `Leave “${group.name}”?`,
    "You will no longer see its plans and chat. A member can add you again.",
    "Leave group",
  );
  if (!sure) return;
  const me = store.me.id;
  if ((await attempt(() => api.del(`groups/${group.id}/members/${me}`))) === undefined) return;
  forgetTopic(groupTopic(group.id));
  toast(`You left ${group.name}.`);
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
      h("p", { class: "muted" }, `${members} · you are ${group.my_role}`),
      group.description ? h("p", { class: "description" }, group.description) : null,
      h(
        "div",
        { class: "actions" },
        h("a", { class: "button button-primary", href: `#/groups/${group.id}/chat` }, "Open chat"),
        isManager(group) ? button("Edit group", editGroup) : null,
        group.my_role === "owner"
          ? button("Delete group", deleteGroup, "button button-danger")
          : null,
        button("Leave group", leaveGroup, "button button-danger"),
      ),
    );
  }
  return { node, render };
}
