// The plan page: status (and manual start / complete / cancel for managers), the itinerary
// grouped by day in the plan's time zone, and activities that anyone in the plan can add, edit,
// complete, reopen and reorder. Every change made elsewhere appears live.

import { api } from "./api.js";
import { loadPlan, onChange, store } from "./state.js";
import {
  confirmDialog,
  dayKey,
  displayName,
  errorMessage,
  formatDateRange,
  formatDay,
  formatTime,
  formDialog,
  formField,
  fromLocalInput,
  h,
  replaceChildren,
  safeZone,
  statusBadge,
  toast,
  toLocalInput,
} from "./ui.js";

const KINDS = [
  ["activity", "Activity"],
  ["sightseeing", "Sightseeing"],
  ["food", "Food & drink"],
  ["transport", "Transport"],
  ["lodging", "Lodging"],
  ["other", "Other"],
];
const KIND_LABELS = Object.fromEntries(KINDS);
const TRANSITION_DONE = {
  start: "The trip has started.",
  complete: "The trip is marked completed.",
  cancel: "The plan was cancelled.",
};

export async function renderPlan(main, planId) {
  let record = store.plans.get(planId);
  if (!record || !record.activities) {
    try {
      record = await loadPlan(planId);
    } catch (error) {
      main.replaceChildren(
        h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← All trips")),
        h("h1", {}, error.status === 404 ? "Plan not found" : "Could not load the plan"),
        h("p", {}, error.status === 404 ? "It may have been deleted, or you are no longer in its group." : errorMessage(error)),
      );
      return null;
    }
  }
  let view = "day";
  const head = h("div", { class: "plan-head" });
  const controls = h("div", { class: "plan-controls" });
  const itinerary = h("div", { class: "itinerary", "aria-live": "off" });
  const viewSwitch = h(
    "fieldset",
    { class: "segmented" },
    h("legend", { class: "visually-hidden" }, "Show activities"),
    radio("view", "day", "By day", true),
    radio("view", "order", "Custom order", false),
  );
  viewSwitch.addEventListener("change", (event) => {
    view = event.target.value;
    renderItinerary();
  });
  const addButton = h(
    "button",
    { type: "button", class: "button button-primary", onclick: () => activityDialog(record.data) },
    "Add activity",
  );

  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← All trips")),
    head,
    controls,
    h(
      "section",
      { "aria-labelledby": "itinerary-title" },
      h(
        "div",
        { class: "section-head" },
        h("h2", { id: "itinerary-title" }, "Itinerary"),
        viewSwitch,
        addButton,
      ),
      itinerary,
    ),
  );

  function renderHead() {
    const plan = record.data;
    const zone = safeZone(plan.timezone);
    const group = plan.group ? store.groups.get(plan.group) : null;
    replaceChildren(
      head,
      h("div", { class: "title-row" }, h("h1", {}, plan.title), statusBadge(plan.status)),
      h(
        "p",
        { class: "muted" },
        formatDateRange(plan.start_at, plan.end_at, zone),
        ` · times in ${zone}`,
        group ? [" · ", group.data.name, " · ", h("a", { href: `#/groups/${plan.group}/chat` }, "Group chat")] : " · Personal plan",
      ),
      plan.description ? h("p", { class: "description" }, plan.description) : null,
    );
    const buttons = [];
    if (plan.can_manage && plan.status === "upcoming") {
      buttons.push(actionButton("Start trip now", "start", "button-secondary"));
    }
    if (plan.can_manage && plan.status === "ongoing") {
      buttons.push(actionButton("Mark trip completed", "complete", "button-secondary"));
    }
    if (plan.can_manage && !isClosed(plan)) {
      buttons.push(actionButton("Cancel plan", "cancel", "button-danger"));
    }
    replaceChildren(controls, buttons.length ? h("div", { class: "actions" }, buttons) : null);
    addButton.disabled = isClosed(plan);
    addButton.title = isClosed(plan) ? `This plan is ${plan.status}.` : "";
  }

  function actionButton(label, verb, style) {
    return h(
      "button",
      {
        type: "button",
        class: `button ${style}`,
        dataset: { key: `plan-${verb}` },
        onclick: () => transition(verb),
      },
      label,
    );
  }

  async function transition(verb) {
    if (verb === "cancel") {
      const sure = await confirmDialog(
        "Cancel this plan?",
        "Nobody will be able to change it afterwards. This cannot be undone.",
        "Cancel plan",
      );
      if (!sure) return;
    }
    try {
      const plan = await api.post(`plans/${planId}/${verb}`);
      mergePlan(plan);
      toast(TRANSITION_DONE[verb]);
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
  }

  function mergePlan(plan) {
    const { activities: _, ...fields } = plan;
    if (fields.version >= record.data.version) {
      record.data = { ...record.data, ...fields };
      renderHead();
    }
  }

  function renderItinerary() {
    const plan = record.data;
    const zone = safeZone(plan.timezone);
    const activities = [...record.activities.values()];
    if (!activities.length) {
      replaceChildren(itinerary, h("p", { class: "empty card" }, "No activities yet. Add the first one."));
      return;
    }
    if (view === "order") {
      activities.sort((a, b) => a.position - b.position || a.starts_at.localeCompare(b.starts_at) || a.id - b.id);
      replaceChildren(
        itinerary,
        h("p", { class: "muted" }, "Your group's own order, e.g. by priority. Use the arrows to move an activity."),
        h(
          "ol",
          { class: "activity-list ordered", "aria-label": "Activities in custom order" },
          activities.map((activity, index) => activityItem(activity, zone, { index, count: activities.length, order: activities })),
        ),
      );
      return;
    }
    activities.sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id - b.id);
    const days = new Map();
    for (const activity of activities) {
      const key = dayKey(activity.starts_at, zone);
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(activity);
    }
    replaceChildren(
      itinerary,
      [...days.entries()].map(([key, items]) =>
        h(
          "section",
          { class: "day", "aria-labelledby": `day-${key}` },
          h("h3", { id: `day-${key}` }, formatDay(items[0].starts_at, zone)),
          h("ul", { class: "activity-list" }, items.map((activity) => activityItem(activity, zone))),
        ),
      ),
    );
  }

  function activityItem(activity, zone, ordering = null) {
    const plan = record.data;
    const done = Boolean(activity.completed_at);
    const closed = isClosed(plan);
    const cost = activity.estimated_cost ? `${activity.estimated_cost} ${activity.currency || ""}`.trim() : null;
    const buttons = [];
    if (ordering) {
      const { index, count, order } = ordering;
      buttons.push(
        h("button", {
          type: "button",
          class: "icon-button",
          disabled: closed || index === 0,
          "aria-label": `Move ${activity.title} up`,
          dataset: { key: `up-${activity.id}` },
          onclick: () => move(order, index, -1),
        }, "↑"),
        h("button", {
          type: "button",
          class: "icon-button",
          disabled: closed || index === count - 1,
          "aria-label": `Move ${activity.title} down`,
          dataset: { key: `down-${activity.id}` },
          onclick: () => move(order, index, 1),
        }, "↓"),
      );
    }
    buttons.push(
      h(
        "button",
        {
          type: "button",
          class: done ? "button button-quiet" : "button button-secondary",
          disabled: plan.status === "cancelled",
          "aria-label": done ? `Reopen ${activity.title}` : `Mark ${activity.title} done`,
          dataset: { key: `done-${activity.id}` },
          onclick: () => toggleDone(activity),
        },
        done ? "Reopen" : "Mark done",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button button-quiet",
          disabled: closed,
          "aria-label": `Edit ${activity.title}`,
          dataset: { key: `edit-${activity.id}` },
          onclick: () => activityDialog(plan, activity.id),
        },
        "Edit",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button button-quiet",
          disabled: closed,
          "aria-label": `Delete ${activity.title}`,
          dataset: { key: `delete-${activity.id}` },
          onclick: () => remove(activity),
        },
        "Delete",
      ),
    );
    return h(
      "li",
      {
        class: done ? "activity card done" : "activity card",
        dataset: { activityId: activity.id, version: activity.version },
      },
      h(
        "div",
        { class: "activity-time" },
        h("time", { datetime: activity.starts_at }, formatTime(activity.starts_at, zone)),
        h("span", { class: "until" }, "until ", h("time", { datetime: activity.ends_at }, formatTime(activity.ends_at, zone))),
        ordering ? h("span", { class: "muted" }, formatDay(activity.starts_at, zone)) : null,
      ),
      h(
        "div",
        { class: "activity-body" },
        h(
          "p",
          { class: "activity-title" },
          done ? h("span", { class: "check", "aria-hidden": "true" }, "✓ ") : null,
          h("span", { class: "title-text" }, activity.title),
          h("span", { class: `kind kind-${activity.kind}` }, KIND_LABELS[activity.kind] || activity.kind),
        ),
        activity.location_name || cost
          ? h("p", { class: "muted" }, [activity.location_name, cost].filter(Boolean).join(" · "))
          : null,
        activity.notes ? h("p", { class: "notes" }, activity.notes) : null,
        done
          ? h("p", { class: "done-by" }, `Done${activity.completed_by ? ` by ${displayName(activity.completed_by)}` : ""}`)
          : null,
      ),
      h("div", { class: "activity-actions" }, buttons),
    );
  }

  function keep(activity) {
    // A REST answer may arrive before or after its event: keep whichever is newer.
    const held = record.activities.get(activity.id);
    if (!held || activity.version > held.version) record.activities.set(activity.id, activity);
    renderItinerary();
  }

  async function toggleDone(activity) {
    const verb = activity.completed_at ? "reopen" : "complete";
    try {
      keep(await api.post(`activities/${activity.id}/${verb}`));
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
  }

  async function move(order, index, step) {
    const ids = order.map((activity) => activity.id);
    [ids[index], ids[index + step]] = [ids[index + step], ids[index]];
    try {
      const list = await api.post(`plans/${planId}/activities/reorder`, { order: ids });
      list.results.forEach(keep);
      const moved = order[index];
      toast(`${moved.title} moved ${step < 0 ? "up" : "down"}.`);
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
  }

  async function remove(activity) {
    const sure = await confirmDialog(
      `Delete “${activity.title}”?`,
      "It disappears for everyone in the plan.",
      "Delete activity",
    );
    if (!sure) return;
    try {
      await api.del(`activities/${activity.id}`);
      record.activities.delete(activity.id);
      renderItinerary();
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
  }

  function activityDialog(plan, activityId = null) {
    const zone = safeZone(plan.timezone);
    const editing = activityId !== null;
    const current = () => record.activities.get(activityId);
    const base = editing ? current() : defaultsFor(plan, record.activities);
    const conflict = h("p", { class: "conflict", role: "alert", hidden: true });
    const fields = [
      conflict,
      formField("Title", { name: "title", required: true, maxlength: "200", value: base.title }),
      formField("Kind", { name: "kind", value: base.kind }, { control: "select", options: KINDS }),
      h(
        "div",
        { class: "field-row" },
        formField("Starts", { name: "starts_at", type: "datetime-local", required: true, value: toLocalInput(base.starts_at, zone) }),
        formField("Ends", { name: "ends_at", type: "datetime-local", required: true, value: toLocalInput(base.ends_at, zone) }),
      ),
      h("p", { class: "field-hint" }, `Times in ${zone}, within the plan's dates.`),
      formField("Place", { name: "location_name", maxlength: "200", value: base.location_name || "" }),
      h(
        "div",
        { class: "field-row" },
        formField("Estimated cost", { name: "estimated_cost", inputmode: "decimal", value: base.estimated_cost || "" }),
        formField("Currency", { name: "currency", maxlength: "3", value: base.currency || "", placeholder: "EUR" }),
      ),
      formField("Notes", { name: "notes", rows: "3", value: base.notes || "" }, { control: "textarea" }),
    ];
    const { form } = formDialog({
      title: editing ? `Edit “${base.title}”` : "Add activity",
      submitLabel: editing ? "Save changes" : "Add activity",
      fields,
      onSubmit: async (data, form) => {
        const values = {
          title: data.title,
          kind: data.kind,
          starts_at: data.starts_at ? fromLocalInput(data.starts_at, zone) : null,
          ends_at: data.ends_at ? fromLocalInput(data.ends_at, zone) : null,
          location_name: data.location_name,
          estimated_cost: data.estimated_cost.trim() || null,
          currency: data.currency.trim(),
          notes: data.notes,
        };
        if (!editing) {
          keep(await api.post(`plans/${planId}/activities`, values));
          toast(`Added ${values.title}.`);
          return true;
        }
        try {
          keep(await api.patch(`activities/${activityId}`, { ...values, version: Number(form.dataset.version) }));
          toast("Saved.");
          return true;
        } catch (error) {
          if (error.status !== 409 || !error.current) throw error;
          // Someone changed it first: take the server's version and let the user decide again.
          keep(error.current);
          fill(form, error.current, zone);
          conflict.textContent =
            "Someone else changed this activity while you were editing. The form now shows " +
            "their version; make your change again and save.";
          conflict.hidden = false;
          conflict.focus();
          return false;
        }
      },
    });
    conflict.tabIndex = -1;
    form.dataset.version = editing ? base.version : "";
  }

  function fill(form, activity, zone) {
    form.dataset.version = activity.version;
    form.elements.title.value = activity.title;
    form.elements.kind.value = activity.kind;
    form.elements.starts_at.value = toLocalInput(activity.starts_at, zone);
    form.elements.ends_at.value = toLocalInput(activity.ends_at, zone);
    form.elements.location_name.value = activity.location_name || "";
    form.elements.estimated_cost.value = activity.estimated_cost || "";
    form.elements.currency.value = activity.currency || "";
    form.elements.notes.value = activity.notes || "";
  }

  renderHead();
  renderItinerary();
  store.openPlan = planId;
  const stop = onChange(({ kind, id }) => {
    if (kind === "plan" && id === planId) {
      record = store.plans.get(planId) || record;
      renderHead();
      if (record.activities) renderItinerary();
    } else if (kind === "plan-deleted" && id === planId) {
      main.replaceChildren(
        h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← All trips")),
        h("h1", { tabindex: "-1" }, "This plan is gone"),
        h("p", {}, "It was deleted, or you no longer have access to it."),
      );
      main.querySelector("h1").focus();
    }
  });
  return () => {
    stop();
    if (store.openPlan === planId) store.openPlan = null;
  };
}

function radio(name, value, label, checked) {
  const id = `${name}-${value}`;
  return h(
    "span",
    { class: "segment" },
    h("input", { type: "radio", name, id, value, checked }),
    h("label", { for: id }, label),
  );
}

function isClosed(plan) {
  return plan.status === "completed" || plan.status === "cancelled";
}

function defaultsFor(plan, activities) {
  // After the last activity, for an hour, inside the plan.
  let start = new Date(plan.start_at).getTime();
  for (const activity of activities.values()) {
    start = Math.max(start, new Date(activity.ends_at).getTime());
  }
  const end = Math.min(start + 3600000, new Date(plan.end_at).getTime());
  return {
    title: "",
    kind: "activity",
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(end).toISOString(),
  };
}
