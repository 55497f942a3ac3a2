// Home: my plans (live status badges) and my groups (unread chat counts), with forms to start a
// plan or a group.

import { api } from "../api.js";
import { formDialog, formField } from "../lib/dialogs.js";
import { h, replaceChildren } from "../lib/dom.js";
import { formatDateRange, fromLocalInput, safeZone, toLocalInput } from "../lib/format.js";
import { statusBadge } from "../lib/widgets.js";
import { loadAll, loadGroup } from "../state/live.js";
import { conversationOfGroup, onChange, store } from "../state/store.js";

const STATUS_ORDER = { ongoing: 0, upcoming: 1, completed: 2, cancelled: 3 };

function sortedPlans() {
  return [...store.plans.values()]
    .map((record) => record.data)
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        (a.status === "completed" || a.status === "cancelled"
          ? b.start_at.localeCompare(a.start_at)
          : a.start_at.localeCompare(b.start_at)),
    );
}

function planCard(plan) {
  const group = plan.group ? store.groups.get(plan.group) : null;
  const zone = safeZone(plan.timezone);
  return h(
    "li",
    { class: "plan-card card", dataset: { planId: plan.id } },
    h(
      "div",
      { class: "plan-card-head" },
      h(
        "h3",
        {},
        h("a", { href: `#/plans/${plan.id}`, dataset: { key: `p${plan.id}` } }, plan.title),
      ),
      statusBadge(plan.status),
    ),
    h(
      "p",
      { class: "muted" },
      formatDateRange(plan.start_at, plan.end_at, zone),
      " · ",
      group ? group.data.name : "Personal plan",
    ),
    h(
      "p",
      { class: "plan-card-meta" },
      `${plan.activity_count} ${plan.activity_count === 1 ? "activity" : "activities"}`,
    ),
  );
}

function groupCard(group) {
  const conversation = conversationOfGroup(store, group.id);
  const unread = conversation ? conversation.data.unread_count : 0;
  const last = conversation && conversation.data.last_message;
  return h(
    "li",
    { class: "group-card card", dataset: { groupId: group.id } },
    h("h3", {}, h("a", { href: `#/groups/${group.id}` }, group.name)),
    h(
      "p",
      { class: "muted" },
      `${group.member_count} ${group.member_count === 1 ? "member" : "members"}`,
      group.my_role !== "member" ? ` · you are ${group.my_role}` : "",
    ),
    last
      ? h(
          "p",
          { class: "last-message" },
          h("strong", {}, last.sender ? last.sender.display_name || last.sender.username : ""),
          last.sender ? ": " : "",
          last.deleted_at ? "Message deleted" : last.text,
        )
      : null,
    h(
      "a",
      {
        class: "button button-secondary",
        href: `#/groups/${group.id}/chat`,
        dataset: { key: `g${group.id}` },
      },
      "Chat",
      // One hidden phrase (the button's parts are flex items, each read as its own word).
      h(
        "span",
        { class: "visually-hidden" },
        ` with ${group.name}${unread ? `, ${unread} unread` : ""}`,
      ),
      unread ? h("span", { class: "count", "aria-hidden": "true" }, String(unread)) : null,
    ),
  );
}

export async function renderHome(main) {
  if (!store.loaded) await loadAll();
  const plansList = h("ul", { class: "plan-grid", "aria-label": "Plans" });
  const groupsList = h("ul", { class: "group-grid", "aria-label": "Groups" });

  function render() {
    const plans = sortedPlans();
    replaceChildren(
      plansList,
      plans.length
        ? plans.map(planCard)
        : h("li", { class: "empty card" }, "No plans yet. Start one for your next trip."),
    );
    const groups = [...store.groups.values()]
      .map((record) => record.data)
      .sort((a, b) => a.name.localeCompare(b.name));
    replaceChildren(
      groupsList,
      groups.length
        ? groups.map(groupCard)
        : h("li", { class: "empty card" }, "No groups yet. Create one and add your friends."),
    );
  }

  main.replaceChildren(
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Your trips"),
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          { type: "button", class: "button button-primary", onclick: newPlan },
          "New plan",
        ),
        h(
          "button",
          { type: "button", class: "button button-secondary", onclick: newGroup },
          "New group",
        ),
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "plans-title" },
      h("h2", { id: "plans-title" }, "Plans"),
      plansList,
    ),
    h(
      "section",
      { "aria-labelledby": "groups-title" },
      h("h2", { id: "groups-title" }, "Groups"),
      groupsList,
    ),
  );
  render();
  return onChange(({ kind }) => {
    if (["all", "plan", "plan-deleted", "group", "group-removed", "conversation"].includes(kind)) {
      render();
    }
  });
}

function newPlan() {
  const zone = safeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const start = new Date(Date.now() + 7 * 86400000);
  start.setMinutes(0, 0, 0);
  const end = new Date(start.getTime() + 2 * 86400000);
  const groups = [...store.groups.values()].map((record) => [record.data.id, record.data.name]);
  formDialog({
    title: "New plan",
    submitLabel: "Create plan",
    fields: [
      formField("Title", { name: "title", required: true, maxlength: "200" }),
      formField(
        "Group",
        { name: "group", value: groups.length ? groups[0][0] : "" },
        { control: "select", options: [...groups, ["", "Personal plan (no group)"]] },
      ),
      h(
        "div",
        { class: "field-row" },
        formField("Starts", {
          name: "start_at",
          type: "datetime-local",
          required: true,
          value: toLocalInput(start.toISOString(), zone),
        }),
        formField("Ends", {
          name: "end_at",
          type: "datetime-local",
          required: true,
          value: toLocalInput(end.toISOString(), zone),
        }),
      ),
      h("p", { class: "field-hint" }, `Times in ${zone}.`),
      formField("Description", { name: "description", rows: "3" }, { control: "textarea" }),
    ],
    onSubmit: async (data) => {
      const plan = await api.post("plans", {
        title: data.title,
        description: data.description,
        group: data.group ? Number(data.group) : null,
        start_at: data.start_at ? fromLocalInput(data.start_at, zone) : null,
        end_at: data.end_at ? fromLocalInput(data.end_at, zone) : null,
        timezone: zone,
      });
      window.location.hash = `#/plans/${plan.id}`;
    },
  });
}

function newGroup() {
  formDialog({
    title: "New group",
    submitLabel: "Create group",
    fields: [
      formField("Name", { name: "name", required: true, maxlength: "100" }),
      formField("Description", { name: "description", rows: "3" }, { control: "textarea" }),
    ],
    onSubmit: async (data) => {
      const group = await api.post("groups", data);
      await loadGroup(group.id);
    },
  });
}
