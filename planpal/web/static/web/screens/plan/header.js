// The plan page's head: title, status, dates and zone, the group, and the managers' lifecycle
// buttons (start / complete / cancel).

import { api } from "../../api.js";
import { confirmDialog } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatDateRange, isClosed, safeZone } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { statusBadge } from "../../lib/widgets.js";
import { store } from "../../state/store.js";

const TRANSITION_DONE = {
  start: "The trip has started.",
  complete: "The trip is marked completed.",
  cancel: "The plan was cancelled.",
};

function summary(plan) {
  const zone = safeZone(plan.timezone);
  const group = plan.group ? store.groups.get(plan.group) : null;
  const where = group
    ? [" · ", group.data.name, " · ", h("a", { href: `#/groups/${plan.group}/chat` }, "Group chat")]
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
  ];
}

function lifecycleButtons(plan, transition) {
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
    const plan = await attempt(() => api.post(`plans/${view.planId}/${verb}`));
    if (!plan) return;
    const { activities: _, ...fields } = plan;
    const record = view.record();
    if (fields.version >= record.data.version) record.data = { ...record.data, ...fields };
    render();
    toast(TRANSITION_DONE[verb]);
  }

  function render() {
    const plan = view.record().data;
    replaceChildren(head, summary(plan));
    const buttons = lifecycleButtons(plan, transition);
    replaceChildren(controls, buttons.length ? h("div", { class: "actions" }, buttons) : null);
  }

  return { nodes: [head, controls], render };
}
