// The plan's checklists: shared lists every member ticks, and my personal packing list, live
// (the store's "checklists" changes). Add, tick / untick, edit, move up, delete items; start,
// rename and delete lists.

import { api, newClientId } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { displayName, formatShort, fromLocalInput } from "../../lib/format.js";
import { attempt } from "../../lib/toast.js";
import { checklistsOf, keepItem } from "../../state/checklists.js";
import { loadChecklists } from "../../state/live.js";
import { changed, onChange, store } from "../../state/store.js";
import { t } from "../../lib/i18n.js";

const TEMPLATES = [
  ["", t("plan.checklists.empty")],
  ["packing", t("plan.checklists.packing")],
  ["beach", t("plan.checklists.beach_bag")],
  ["hiking", t("plan.checklists.hiking_gear")],
  ["todo", t("plan.checklists.to_dos")],
];

async function itemChange(planId, action) {
  const item = await attempt(action);
  if (item && item.id && keepItem(store, item)) changed("checklists", planId);
}

async function listChange(planId, action) {
  const checklist = await attempt(action);
  if (checklist && checklist.id) {
    store.checklists.set(checklist.id, checklist);
    changed("checklists", planId);
  }
}

function newList(planId) {
  formDialog({
    title: t("plan.checklists.new_list"),
    submitLabel: t("plan.checklists.start"),
    fields: [
      formField(
        t("common.title"),
        { name: "title", maxlength: 200 },
        { hint: t("plan.checklists.or_the_template_s") },
      ),
      formField(
        t("plan.checklists.start_from"),
        { name: "template", value: "" },
        { control: "select", options: TEMPLATES },
      ),
      formField(t("plan.checklists.only_for_me_a_personal"), {
        name: "personal",
        type: "checkbox",
        value: "on",
      }),
    ],
    onSubmit: async (data) => {
      const body = {
        title: data.title || "",
        template: data.template || null,
        personal: data.personal === "on",
        client_id: newClientId(),
      };
      const checklist = await api.post(`plans/${planId}/checklists`, body);
      store.checklists.set(checklist.id, checklist);
      changed("checklists", planId);
    },
  });
}

function editItem(planId, item, zone) {
  const members = [["", t("plan.checklists.nobody")]];
  for (const member of store.members.get(store.plans.get(planId)?.data.group)?.items?.values() ||
    [])
    members.push([member.user.id, displayName(member.user)]);
  formDialog({
    title: t("plan.checklists.edit_item"),
    submitLabel: t("common.save"),
    fields: [
      formField(t("plan.checklists.text"), {
        name: "text",
        value: item.text,
        required: true,
        maxlength: 200,
      }),
      formField(
        t("plan.checklists.assigned_to"),
        { name: "assignee", value: item.assignee?.id ?? "" },
        {
          control: "select",
          options: members,
        },
      ),
      formField(t("plan.checklists.due"), { name: "due_at", type: "datetime-local" }),
    ],
    onSubmit: async (data) => {
      const body = { text: data.text, version: item.version };
      if (data.assignee !== undefined) body.assignee = data.assignee ? Number(data.assignee) : null;
      if (data.due_at) body.due_at = fromLocalInput(data.due_at, zone);
      const saved = await api.patch(`checklist-items/${item.id}`, body);
      if (keepItem(store, saved)) changed("checklists", planId);
    },
  });
}

function moveUp(planId, checklist, index) {
  const order = checklist.items.map((item) => item.id);
  [order[index - 1], order[index]] = [order[index], order[index - 1]];
  listChange(planId, () => api.post(`checklists/${checklist.id}/reorder`, { order }));
}

function itemRow(planId, checklist, item, index, zone) {
  const id = `item-${item.id}`;
  const tick = () =>
    itemChange(planId, () =>
      item.done_at
        ? api.post(`checklist-items/${item.id}/untick`)
        : api.post(`checklist-items/${item.id}/tick`),
    );
  const remove = async () => {
    if ((await attempt(() => api.del(`checklist-items/${item.id}`))) === undefined) return;
    store.checklists.set(checklist.id, {
      ...checklist,
      items: checklist.items.filter((other) => other.id !== item.id),
    });
    changed("checklists", planId);
  };
  const small = (label, onclick) =>
    h("button", { type: "button", class: "button button-quiet", onclick }, label);
  const who = [
    item.assignee ? t("plan.checklists.for_name", { name: displayName(item.assignee) }) : null,
    item.due_at ? t("plan.checklists.due_when", { when: formatShort(item.due_at, zone) }) : null,
    item.done_by ? t("plan.checklists.ticked_by", { name: displayName(item.done_by) }) : null,
  ].filter(Boolean);
  return h(
    "li",
    { class: "checklist-item", dataset: { item: item.id, done: String(Boolean(item.done_at)) } },
    h("input", {
      type: "checkbox",
      id,
      checked: Boolean(item.done_at),
      onchange: tick,
      dataset: { key: id },
    }),
    h("label", { for: id }, item.text),
    who.length ? h("span", { class: "muted" }, ` ${who.join(" · ")}`) : null,
    index > 0 ? small("↑", () => moveUp(planId, checklist, index)) : null,
    small(t("common.edit"), () => editItem(planId, item, zone)),
    small(t("common.delete"), remove),
  );
}

function addItemForm(planId, checklist) {
  const input = h("input", {
    name: "text",
    required: true,
    maxlength: 200,
    "aria-label": t("plan.checklists.new_item_for_title", { title: checklist.title }),
    dataset: { key: `add-${checklist.id}` },
  });
  const form = h(
    "form",
    { class: "checklist-add" },
    input,
    h("button", { class: "button button-secondary" }, t("common.add")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    const body = { text, client_id: newClientId() };
    itemChange(planId, () => api.post(`checklists/${checklist.id}/items`, body));
  });
  return form;
}

function renameList(planId, checklist) {
  formDialog({
    title: t("plan.checklists.rename_list"),
    submitLabel: t("plan.checklists.rename"),
    fields: [
      formField(t("common.title"), { name: "title", value: checklist.title, required: true }),
    ],
    onSubmit: (data) =>
      listChange(planId, () => api.patch(`checklists/${checklist.id}`, { title: data.title })),
  });
}

async function deleteList(planId, checklist) {
  if (
    !(await confirmDialog(
      t("plan.checklists.delete_this_list"),
      checklist.title,
      t("common.delete"),
    ))
  )
    return;
  if ((await attempt(() => api.del(`checklists/${checklist.id}`))) === undefined) return;
  store.checklists.delete(checklist.id);
  changed("checklists", planId);
}

function listNode(planId, checklist, zone) {
  const small = (label, onclick) =>
    h("button", { type: "button", class: "button button-quiet", onclick }, label);
  return h(
    "article",
    {
      class: "checklist card",
      dataset: { checklist: checklist.id },
      "aria-label": checklist.title,
    },
    h(
      "h3",
      {},
      checklist.title,
      checklist.personal ? h("span", { class: "badge" }, t("plan.checklists.only_me")) : null,
    ),
    h(
      "ul",
      { class: "checklist-items" },
      checklist.items.map((item, i) => itemRow(planId, checklist, item, i, zone)),
    ),
    addItemForm(planId, checklist),
    h(
      "div",
      { class: "poll-actions" },
      small(t("plan.checklists.rename"), () => renameList(planId, checklist)),
      small(t("plan.checklists.delete_list"), () => deleteList(planId, checklist)),
    ),
  );
}

export function planChecklists(view) {
  const planId = view.planId;
  const list = h("div", { class: "checklist-list" });
  const node = h(
    "section",
    { class: "checklists", "aria-labelledby": "checklists-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "checklists-title" }, t("plan.checklists.checklists")),
      h(
        "button",
        { type: "button", class: "button button-secondary", onclick: () => newList(planId) },
        t("plan.checklists.new_list"),
      ),
    ),
    list,
  );
  function render() {
    const zone = view.record().data.timezone;
    const lists = checklistsOf(store, planId);
    replaceChildren(
      list,
      lists.length
        ? lists.map((c) => listNode(planId, c, zone))
        : h("p", { class: "muted" }, t("plan.checklists.no_lists_yet")),
    );
  }
  const stop = onChange(({ kind, id }) => {
    if (kind === "checklists" && id === planId) render();
  });
  attempt(() => loadChecklists(planId));
  return { node, render, stop };
}
