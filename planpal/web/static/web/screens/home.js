// Home: my plans (live status badges) and my groups (unread chat counts), with forms to start a
// plan or a group.

import { api } from "../api.js";
import { formDialog, formField } from "../lib/dialogs.js";
import { h, replaceChildren } from "../lib/dom.js";
import {
  formatDateRange,
  fromLocalInput,
  ROLE_LABELS,
  safeZone,
  toLocalInput,
} from "../lib/format.js";
import { statusBadge } from "../lib/widgets.js";
import { loadAll, loadGroup } from "../state/live.js";
import { conversationOfGroup, onChange, store } from "../state/store.js";
import { t } from "../lib/i18n.js";

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
      group ? group.data.name : t("home.personal_plan"),
    ),
    h("p", { class: "plan-card-meta" }, t("home.activity_count", { count: plan.activity_count })),
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
      t("common.member_count", { count: group.member_count }),
      group.my_role !== "member"
        ? t("home.you_are_role", { role: ROLE_LABELS[group.my_role] || group.my_role })
        : "",
    ),
    last
      ? h(
          "p",
          { class: "last-message" },
          h("strong", {}, last.sender ? last.sender.display_name || last.sender.username : ""),
          last.sender ? ": " : "",
          last.deleted_at ? t("common.message_deleted") : last.text,
        )
      : null,
    h(
      "a",
      {
        class: "button button-secondary",
        href: `#/groups/${group.id}/chat`,
        dataset: { key: `g${group.id}` },
      },
      t("home.chat"),
      // One hidden phrase (the button's parts are flex items, each read as its own word).
      h(
        "span",
        { class: "visually-hidden" },
        unread
          ? t("home.chat_with_unread", { name: group.name, count: unread })
          : t("home.chat_with", { name: group.name }),
      ),
      unread ? h("span", { class: "count", "aria-hidden": "true" }, String(unread)) : null,
    ),
  );
}

export async function renderHome(main) {
  if (!store.loaded) await loadAll();
  const plansList = h("ul", { class: "plan-grid", "aria-label": t("home.plans") });
  const groupsList = h("ul", { class: "group-grid", "aria-label": t("home.groups") });

  function render() {
    const plans = sortedPlans();
    replaceChildren(
      plansList,
      plans.length
        ? plans.map(planCard)
        : h("li", { class: "empty card" }, t("home.no_plans_yet_start_one")),
    );
    const groups = [...store.groups.values()]
      .map((record) => record.data)
      .sort((a, b) => a.name.localeCompare(b.name));
    replaceChildren(
      groupsList,
      groups.length
        ? groups.map(groupCard)
        : h("li", { class: "empty card" }, t("home.no_groups_yet_create_one")),
    );
  }

  main.replaceChildren(
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, t("home.your_trips")),
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          { type: "button", class: "button button-primary", onclick: newPlan },
          t("home.new_plan"),
        ),
        h(
          "button",
          { type: "button", class: "button button-secondary", onclick: newGroup },
          t("home.new_group"),
        ),
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "plans-title" },
      h("h2", { id: "plans-title" }, t("home.plans")),
      plansList,
    ),
    h(
      "section",
      { "aria-labelledby": "groups-title" },
      h("h2", { id: "groups-title" }, t("home.groups")),
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
    title: t("home.new_plan"),
    submitLabel: t("home.create_plan"),
    fields: [
      formField(t("common.title"), { name: "title", required: true, maxlength: "200" }),
      formField(
        t("home.group"),
        { name: "group", value: groups.length ? groups[0][0] : "" },
        { control: "select", options: [...groups, ["", t("home.personal_plan_no_group")]] },
      ),
      h(
        "div",
        { class: "field-row" },
        formField(t("common.starts"), {
          name: "start_at",
          type: "datetime-local",
          required: true,
          value: toLocalInput(start.toISOString(), zone),
        }),
        formField(t("common.ends"), {
          name: "end_at",
          type: "datetime-local",
          required: true,
          value: toLocalInput(end.toISOString(), zone),
        }),
      ),
      h("p", { class: "field-hint" }, t("home.times_in_zone", { zone })),
      formField(
        t("common.description"),
        { name: "description", rows: "3" },
        { control: "textarea" },
      ),
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
    title: t("home.new_group"),
    submitLabel: t("home.create_group"),
    fields: [
      formField(t("home.name"), { name: "name", required: true, maxlength: "100" }),
      formField(
        t("common.description"),
        { name: "description", rows: "3" },
        { control: "textarea" },
      ),
    ],
    onSubmit: async (data) => {
      const group = await api.post("groups", data);
      await loadGroup(group.id);
    },
  });
}
