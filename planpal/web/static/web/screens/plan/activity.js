// One activity of the itinerary: its time, title, kind, place, cost, notes and who did it, and
// the buttons that act on it (mark done / reopen, edit, delete, move in the custom order).

import { api } from "../../api.js";
import { h } from "../../lib/dom.js";
import {
  displayName,
  formatDay,
  formatDuration,
  formatMoney,
  formatTime,
  isClosed,
  viewerTime,
  viewerZone,
} from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { markText } from "../../offline/marks.js";

export const KINDS = [
  ["activity", t("group.activity")],
  ["sightseeing", t("plan.activity.sightseeing")],
  ["food", t("plan.activity.food_drink")],
  ["transport", t("plan.activity.transport")],
  ["lodging", t("plan.activity.lodging")],
  ["other", t("plan.activity.other")],
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
      name: t("plan.activity.move_title_up", { title: activity.title }),
    }),
    button("↓", `down-${activity.id}`, move(1), {
      style: "icon-button",
      disabled: closed || index === count - 1,
      name: t("plan.activity.move_title_down", { title: activity.title }),
    }),
  ];
}

function actionButtons(plan, activity, ordering, actions) {
  const done = Boolean(activity.completed_at);
  // An activity the server has not created yet has no id to act on.
  const closed = isClosed(plan) || typeof activity.id !== "number";
  const { id, title } = activity;
  return [
    ordering ? moveButtons(activity, closed, ordering, actions) : null,
    // Named "Mark <title> done" from its content: a label that hid the visible words would
    // confuse voice control ("click Mark done").
    button(
      done
        ? [t("plan.activity.reopen"), hidden(` ${title}`)]
        : [t("plan.activity.mark"), hidden(` ${title}`), t("plan.activity.mark_done_after")],
      `done-${id}`,
      () => actions.toggleDone(activity),
      {
        style: done ? "button button-quiet" : "button button-secondary",
        disabled: plan.status === "cancelled" || typeof activity.id !== "number",
      },
    ),
    button(t("common.edit"), `edit-${id}`, () => actions.edit(activity), {
      disabled: closed,
      name: t("plan.activity.edit_title", { title }),
    }),
    button(t("common.delete"), `delete-${id}`, () => actions.remove(activity), {
      disabled: closed,
      name: t("plan.activity.delete_title", { title }),
    }),
    h(
      "a",
      {
        class: "button button-quiet",
        href: api.href(`activities/${id}/calendar.ics`),
        download: "",
        dataset: { key: `ics-${id}` },
      },
      [t("common.add"), hidden(` ${title}`), t("plan.activity.to_calendar")],
    ),
  ];
}

/** The start and end in the viewer's own zone, when it reads differently from the plan's. */
function viewerLine(activity, zone) {
  if (!viewerTime(activity.starts_at, zone)) return null;
  const own = viewerZone();
  const start = formatTime(activity.starts_at, own);
  const end = formatTime(activity.ends_at, own);
  return h(
    "span",
    { class: "viewer-time muted" },
    t("plan.activity.viewer_range", { start, end, zone: own }),
  );
}

function timeColumn(activity, zone, ordering) {
  return h(
    "div",
    { class: "activity-time" },
    h("time", { datetime: activity.starts_at }, formatTime(activity.starts_at, zone)),
    h(
      "span",
      { class: "until" },
      t("plan.activity.until"),
      h("time", { datetime: activity.ends_at }, formatTime(activity.ends_at, zone)),
      ` · ${formatDuration(activity.starts_at, activity.ends_at)}`,
    ),
    viewerLine(activity, zone),
    ordering ? h("span", { class: "muted" }, formatDay(activity.starts_at, zone)) : null,
  );
}

/** A change kept on this device (offline/pending.js): marked until the server has it. */
function syncMark(activity) {
  if (!activity.sync) return null;
  return h("p", { class: `sync-mark sync-${activity.sync}` }, markText(activity.sync));
}

function body(activity) {
  const done = Boolean(activity.completed_at);
  const cost = activity.estimated_cost
    ? formatMoney(activity.estimated_cost, activity.currency)
    : null;
  const doneText = activity.completed_by
    ? t("plan.activity.done_by", { name: displayName(activity.completed_by) })
    : t("plan.activity.done");
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
    done ? h("p", { class: "done-by" }, doneText) : null,
    syncMark(activity),
  );
}

/** An activity card; `ordering` ({index, count, order}) adds the move buttons. */
export function activityItem(plan, activity, zone, actions, ordering = null) {
  const done = Boolean(activity.completed_at);
  return h(
    "li",
    {
      class: done ? "activity card done" : "activity card",
      dataset: {
        activityId: activity.id,
        version: activity.version,
        ...(activity.sync ? { sync: activity.sync } : {}),
      },
    },
    timeColumn(activity, zone, ordering),
    body(activity),
    h("div", { class: "activity-actions" }, actionButtons(plan, activity, ordering, actions)),
  );
}
