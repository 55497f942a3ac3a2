// The itinerary: activities by day in the plan's zone, or in the group's custom order, with the
// actions on them (add, complete / reopen, move, delete; edit opens the activity dialog).

import { api, newClientId } from "../../api.js";
import { confirmDialog } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { dayKey, formatDay, isClosed, safeZone, STATUS_LABELS } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { segmented } from "../../lib/widgets.js";
import { completeActivity, reorderActivities } from "../../offline/writes.js";
import { byCustomOrder } from "../../state/plans.js";
import { activityItem } from "./activity.js";
import { activityDialog } from "./activity-dialog.js";
import { costLine, totals } from "./costs.js";
import { t } from "../../lib/i18n.js";

function byDay(activities, zone) {
  const days = new Map();
  for (const activity of activities) {
    const key = dayKey(activity.starts_at, zone);
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(activity);
  }
  return days;
}

function dayList(plan, activities, zone, actions) {
  activities.sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id - b.id);
  return [...byDay(activities, zone).entries()].map(([key, items]) =>
    h(
      "section",
      { class: "day", "aria-labelledby": `day-${key}` },
      h(
        "div",
        { class: "day-head" },
        h("h3", { id: `day-${key}` }, formatDay(items[0].starts_at, zone)),
        costLine(totals(items))
          ? h(
              "p",
              { class: "day-total muted" },
              t("plan.itinerary.day_total_items", { items: costLine(totals(items)) }),
            )
          : null,
      ),
      h(
        "ul",
        { class: "activity-list" },
        items.map((activity) => activityItem(plan, activity, zone, actions)),
      ),
    ),
  );
}

function orderedList(plan, activities, zone, actions) {
  activities.sort(byCustomOrder);
  const count = activities.length;
  return [
    h("p", { class: "muted" }, t("plan.itinerary.your_group_s_own_order")),
    h(
      "ol",
      {
        class: "activity-list ordered",
        "aria-label": t("plan.itinerary.activities_in_custom_order"),
      },
      activities.map((activity, index) =>
        activityItem(plan, activity, zone, actions, { index, count, order: activities }),
      ),
    ),
  ];
}

/** The actions on activities of plan `view.planId`; each redraws through `view.rerender`. */
function activityActions(view) {
  const keep = (activity) => view.keep(activity);
  return {
    toggleDone: async (activity) => {
      // Works offline: kept in the outbox and shown done (marked as waiting) until sent.
      const write = completeActivity(activity, !activity.completed_at, newClientId());
      const sent = await attempt(() => view.submit(write));
      if (sent && sent.answer) keep(sent.answer);
    },
    move: async (order, index, step) => {
      const ids = order.map((activity) => activity.id);
      [ids[index], ids[index + step]] = [ids[index + step], ids[index]];
      // Activities still waiting to be created have no place in the server's order yet.
      ids.splice(0, ids.length, ...ids.filter((id) => typeof id === "number"));
      // Works offline: kept in the outbox and shown in its new place (marked) until sent.
      const title = order[index].title;
      const write = reorderActivities(view.planId, ids, title, newClientId());
      const sent = await attempt(() => view.submit(write));
      if (!sent) return;
      if (sent.queued) return toast(t("offline.kept_for_later"));
      sent.answer.results.forEach(keep);
      toast(
        step < 0
          ? t("plan.itinerary.moved_up", { title })
          : t("plan.itinerary.moved_down", { title }),
      );
    },
    remove: async (activity) => {
      const sure = await confirmDialog(
        t("plan.itinerary.delete_title", { title: activity.title }),
        t("plan.itinerary.it_disappears_for_everyone_in"),
        t("plan.itinerary.delete_activity"),
      );
      if (!sure) return;
      // With the version shown: a delete never removes a change the user has not seen (409).
      const deleted = await attempt(() =>
        api.del(`activities/${activity.id}?version=${activity.version}`).catch((error) => {
          if (error.status !== 409 || !error.current) throw error;
          keep(error.current);
          toast(t("plan.itinerary.someone_changed_this_activity_meanwhile"), {
            error: true,
          });
          return undefined;
        }),
      );
      if (deleted === undefined) return;
      view.record().activities.delete(activity.id);
      view.rerender();
      toast(t("plan.itinerary.title_was_deleted", { title: activity.title }));
    },
    edit: (activity) => activityDialog(view, activity.id),
  };
}

export function itinerary(view) {
  let mode = "day";
  const list = h("div", { class: "itinerary", "aria-live": "off" });
  const actions = activityActions(view);
  const addButton = h(
    "button",
    { type: "button", class: "button button-primary", onclick: () => activityDialog(view) },
    t("plan.activity_dialog.add_activity"),
  );
  const modes = [
    ["day", t("plan.itinerary.by_day")],
    ["order", t("plan.itinerary.custom_order")],
  ];
  const switcher = segmented("view", t("plan.itinerary.show_activities"), modes, mode, (value) => {
    mode = value;
    render();
  });

  function render() {
    const plan = view.record().data;
    const activities = view.activities();
    const zone = safeZone(plan.timezone);
    addButton.disabled = isClosed(plan);
    addButton.title = isClosed(plan)
      ? t("plan.itinerary.plan_is", { status: STATUS_LABELS[plan.status] || plan.status })
      : "";
    const items = [...activities.values()];
    if (!items.length) {
      replaceChildren(
        list,
        h("p", { class: "empty card" }, t("plan.itinerary.no_activities_yet_add_the")),
      );
    } else if (mode === "order") {
      replaceChildren(list, orderedList(plan, items, zone, actions));
    } else {
      replaceChildren(list, dayList(plan, items, zone, actions));
    }
  }

  const node = h(
    "section",
    { "aria-labelledby": "itinerary-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "itinerary-title" }, t("plan.itinerary.itinerary")),
      switcher,
      addButton,
    ),
    list,
  );
  return { node, render };
}
