// The plan page's head: title, status, dates and zone, the group, and the managers' lifecycle
// buttons (start / complete / cancel).

import { api } from "../../api.js";
import { confirmDialog } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatDateRange, isClosed, safeZone } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { statusBadge } from "../../lib/widgets.js";
import { store } from "../../state/store.js";
import { deletePlan, editPlan } from "./manage.js";
import { costLine, totals } from "./costs.js";
import { t } from "../../lib/i18n.js";

const TRANSITIONS = {
  start: (id) => api.post(`plans/${id}/start`),
  complete: (id) => api.post(`plans/${id}/complete`),
  cancel: (id) => api.post(`plans/${id}/cancel`),
};
const TRANSITION_DONE = {
  start: t("plan.header.the_trip_has_started"),
  complete: t("plan.header.the_trip_is_marked_completed"),
  cancel: t("plan.header.the_plan_was_cancelled"),
};

function summary(plan, activities) {
  const total = activities ? costLine(totals(activities.values())) : "";
  const zone = safeZone(plan.timezone);
  const group = plan.group ? store.groups.get(plan.group) : null;
  const where = group
    ? [
        " · ",
        h("a", { href: `#/groups/${plan.group}` }, group.data.name),
        " · ",
        h("a", { href: `#/groups/${plan.group}/chat` }, t("plan.header.group_chat")),
      ]
    : t("plan.header.personal_plan");
  return [
    h("div", { class: "title-row" }, h("h1", {}, plan.title), statusBadge(plan.status)),
    h(
      "p",
      { class: "muted" },
      formatDateRange(plan.start_at, plan.end_at, zone),
      t("plan.header.times_in_zone", { zone }),
      where,
    ),
    plan.description ? h("p", { class: "description" }, plan.description) : null,
    total
      ? h("p", { class: "trip-total" }, t("plan.header.estimated_cost_of_the_trip", { total }))
      : null,
  ];
}

function lifecycleButtons(plan, transition, view) {
  const button = (label, verb, style) =>
    h(
      "button",
      {
        type: "button",
        class: `button ${style}`,
        dataset: { key: `plan-${verb}` },
        onclick: () => transition(verb),
      },
      label,
    );
  if (!plan.can_manage) return [];
  const buttons = [];
  if (plan.status === "upcoming")
    buttons.push(button(t("plan.header.start_trip_now"), "start", "button-secondary"));
  if (plan.status === "ongoing") {
    buttons.push(button(t("plan.header.mark_trip_completed"), "complete", "button-secondary"));
  }
  if (!isClosed(plan))
    buttons.push(button(t("plan.header.cancel_plan"), "cancel", "button-danger"));
  const plain = (label, run, style) =>
    h("button", { type: "button", class: `button ${style}`, onclick: () => run(view) }, label);
  if (!isClosed(plan)) buttons.push(plain(t("plan.header.edit_plan"), editPlan, "button-quiet"));
  buttons.push(plain(t("plan.header.delete_plan"), deletePlan, "button-danger"));
  return buttons;
}

/** The head and the controls of plan `view.planId`; render() redraws them from the store. */
export function planHeader(view) {
  const head = h("div", { class: "plan-head" });
  const controls = h("div", { class: "plan-controls" });

  async function transition(verb) {
    if (verb === "cancel") {
      const sure = await confirmDialog(
        t("plan.header.cancel_this_plan"),
        t("plan.header.nobody_will_be_able_to"),
        t("plan.header.cancel_plan"),
      );
      if (!sure) return;
    }
    const plan = await attempt(() => TRANSITIONS[verb](view.planId));
    if (!plan) return;
    view.mergePlan(plan);
    toast(TRANSITION_DONE[verb]);
  }

  function render() {
    const { data: plan, activities } = view.record();
    replaceChildren(head, summary(plan, activities));
    const buttons = lifecycleButtons(plan, transition, view);
    replaceChildren(controls, buttons.length ? h("div", { class: "actions" }, buttons) : null);
  }

  return { nodes: [head, controls], render };
}
