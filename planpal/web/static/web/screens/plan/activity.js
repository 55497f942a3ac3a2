// One activity of the itinerary: its time, title, kind, place, cost, notes and who did it, and
// the buttons that act on it (mark done / reopen, edit, delete, move in the custom order).

import { api } from "../../api.js";
import { h } from "../../lib/dom.js";
import { displayName, formatDay, formatDuration, formatTime, isClosed } from "../../lib/format.js";

export const KINDS = [
  ["activity", "Activity"],
  ["sightseeing", "Sightseeing"],
  ["food", "Food & drink"],
  ["transport", "Transport"],
  ["lodging", "Lodging"],
  ["other", "Other"],
];
const KIND_LABELS = Object.fromEntries(KINDS);

const hidden = (text) => h("span", { class: "visually-hidden" }, text);

function button(label, key, onclick, { style = "button button-quiet", disabled, name } = {}) {
  return h(
    "button",
    { type: "button", class: style, disabled, "aria-label": name, dataset: { key }, onclick },
    label,
  );
}

function moveButtons(activity, closed, ordering, actions) {
  const { index, count, order } = ordering;
  const move = (step) => () => actions.move(order, index, step);
  return [
    button("↑", `up-${activity.id}`, move(-1), {
      style: "icon-button",
      disabled: closed || index === 0,
      name: `Move ${activity.title} up`,
    }),
    button("↓", `down-${activity.id}`, move(1), {
      style: "icon-button",
      disabled: closed || index === count - 1,
      name: `Move ${activity.title} down`,
    }),
  ];
}

function actionButtons(plan, activity, ordering, actions) {
  const done = Boolean(activity.completed_at);
  const closed = isClosed(plan);
  const { id, title } = activity;
  return [
    ordering ? moveButtons(activity, closed, ordering, actions) : null,
    // Named "Mark <title> done" from its content: a label that hid the visible words would
    // confuse voice control ("click Mark done").
    button(
      done ? ["Reopen", hidden(` ${title}`)] : ["Mark", hidden(` ${title}`), " done"],
      `done-${id}`,
      () => actions.toggleDone(activity),
      {
        style: done ? "button button-quiet" : "button button-secondary",
        disabled: plan.status === "cancelled",
      },
    ),
    button("Edit", `edit-${id}`, () => actions.edit(activity), {
      disabled: closed,
      name: `Edit ${title}`,
    }),
    button("Delete", `delete-${id}`, () => actions.remove(activity), {
      disabled: closed,
      name: `Delete ${title}`,
    }),
    h(
      "a",
      {
        class: "button button-quiet",
        href: api.href(`activities/${id}/calendar.ics`),
        download: "",
        dataset: { key: `ics-${id}` },
      },
      ["Add", hidden(` ${title}`), " to calendar"],
    ),
  ];
}

function timeColumn(activity, zone, ordering) {
  return h(
    "div",
    { class: "activity-time" },
    h("time", { datetime: activity.starts_at }, formatTime(activity.starts_at, zone)),
    h(
      "span",
      { class: "until" },
      "until ",
      h("time", { datetime: activity.ends_at }, formatTime(activity.ends_at, zone)),
      ` · ${formatDuration(activity.starts_at, activity.ends_at)}`,
    ),
    ordering ? h("span", { class: "muted" }, formatDay(activity.starts_at, zone)) : null,
  );
}

function body(activity) {
  const done = Boolean(activity.completed_at);
  const cost = activity.estimated_cost
    ? `${activity.estimated_cost} ${activity.currency || ""}`.trim()
    : null;
  const by = activity.completed_by ? ` by ${displayName(activity.completed_by)}` : "";
  return h(
    "div",
    { class: "activity-body" },
    h(
      "p",
      { class: "activity-title" },
      done ? h("span", { class: "check", "aria-hidden": "true" }, "✓ ") : null,
      h("span", { class: "title-text" }, activity.title),
      h(
        "span",
        { class: `kind kind-${activity.kind}` },
        KIND_LABELS[activity.kind] || activity.kind,
      ),
    ),
    activity.location_name || cost
      ? h("p", { class: "muted" }, [activity.location_name, cost].filter(Boolean).join(" · "))
      : null,
    activity.notes ? h("p", { class: "notes" }, activity.notes) : null,
    done ? h("p", { class: "done-by" }, `Done${by}`) : null,
  );
}

/** An activity card; `ordering` ({index, count, order}) adds the move buttons. */
export function activityItem(plan, activity, zone, actions, ordering = null) {
  const done = Boolean(activity.completed_at);
  return h(
    "li",
    {
      class: done ? "activity card done" : "activity card",
      dataset: { activityId: activity.id, version: activity.version },
    },
    timeColumn(activity, zone, ordering),
    body(activity),
    h("div", { class: "activity-actions" }, actionButtons(plan, activity, ordering, actions)),
  );
}
