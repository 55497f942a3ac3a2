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

const TRANSITIONS = {
  start: (id) => api.post(`plans/${id}/start`),
  complete: (id) => api.post(`plans/${id}/complete`),
  cancel: (id) => api.post(`plans/${id}/cancel`),
};
const TRANSITION_DONE = {
  start: "The trip has started.",
  complete: "The trip is marked completed.",
  cancel: "The plan was cancelled.",
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
        h("a", { href: `#/groups/${plan.group}/chat` }, "Group chat"),
      ]
    : " · Personal plan";
  return [
    h("div", { class: "title-row" }, h("h1", {}, plan.title), statusBadge(plan.status)),
    h(
      "p",
      { class: "muted" },
      formatDateRange(plan.start_at, plan.end_at, zone),
      ` · times in ${zone}`,
      where,
    ),
    plan.description ? h("p", { class: "description" }, plan.description) : null,
    total ? h("p", { class: "trip-total" }, `Estimated cost of the trip: ${total}`) : null,
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
    buttons.push(button("Start trip now", "start", "button-secondary"));
  if (plan.status === "ongoing") {
    buttons.push(button("Mark trip completed", "complete", "button-secondary"));
  }
  if (!isClosed(plan)) buttons.push(button("Cancel plan", "cancel", "button-danger"));
  const plain = (label, run, style) =>
    h("button", { type: "button", class: `button ${style}`, onclick: () => run(view) }, label);
  if (!isClosed(plan)) buttons.push(plain("Edit plan", editPlan, "button-quiet"));
  buttons.push(plain("Delete plan", deletePlan, "button-danger"));
  return buttons;
}

/** The head and the controls of plan `view.planId`; render() redraws them from the store. */
export function planHeader(view) {
  const head = h("div", { class: "plan-head" });
  const controls = h("div", { class: "plan-controls" });

  async function transition(verb) {
    if (verb === "cancel") {
      const sure = await confirmDialog(
        "Cancel this plan?",
        "Nobody will be able to change it afterwards. This cannot be undone.",
        "Cancel plan",
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
