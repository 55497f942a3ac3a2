// The "Add activity" / "Edit activity" dialog. Times are entered as wall time in the plan's zone.
// A stale edit (409) shows the server's version in the form and lets the user decide again.

import { newClientId } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { formatDay, formatTime, fromLocalInput, safeZone, toLocalInput } from "../../lib/format.js";
import { toast } from "../../lib/toast.js";
import { createActivity, updateActivity } from "../../offline/writes.js";
import { KINDS } from "./activity.js";
import { placePicker } from "./place-picker.js";
import { t } from "../../lib/i18n.js";

const MINUTE = 60000;

/** A new activity's defaults: after the last activity, for an hour, inside the plan. The form
 *  shows whole minutes, so the start rounds up (a plan made over the API may start at 08:00:30:
 *  08:00 would lie before it) and the end down. */
export function defaultsFor(plan, activities) {
  let start = new Date(plan.start_at).getTime();
  for (const activity of activities.values()) {
    start = Math.max(start, new Date(activity.ends_at).getTime());
  }
  start = Math.ceil(start / MINUTE) * MINUTE;
  const planEnd = Math.floor(new Date(plan.end_at).getTime() / MINUTE) * MINUTE;
  const end = Math.max(start, Math.min(start + 60 * MINUTE, planEnd));
  return {
    title: "",
    kind: "activity",
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(end).toISOString(),
  };
}

function fields(base, zone, conflict, picker) {
  const time = (label, name) =>
    formField(label, {
      name,
      type: "datetime-local",
      required: true,
      value: toLocalInput(base[name], zone),
    });
  return [
    conflict,
    formField(t("common.title"), {
      name: "title",
      required: true,
      maxlength: "200",
      value: base.title,
    }),
    formField(
      t("plan.activity_dialog.kind"),
      { name: "kind", value: base.kind },
      { control: "select", options: KINDS },
    ),
    h(
      "div",
      { class: "field-row" },
      time(t("common.starts"), "starts_at"),
      time(t("common.ends"), "ends_at"),
    ),
    h("p", { class: "field-hint" }, t("plan.activity_dialog.times_in_zone_within_the", { zone })),
    formField(t("plan.activity_dialog.place"), {
      name: "location_name",
      maxlength: "200",
      value: base.location_name || "",
    }),
    ...picker.nodes,
    h(
      "div",
      { class: "field-row" },
      formField(t("plan.activity_dialog.estimated_cost"), {
        name: "estimated_cost",
        inputmode: "decimal",
        value: base.estimated_cost || "",
      }),
      formField(t("plan.activity_dialog.currency"), {
        name: "currency",
        maxlength: "3",
        value: base.currency || "",
        placeholder: "EUR",
      }),
    ),
    formField(
      t("plan.activity_dialog.notes"),
      { name: "notes", rows: "3", value: base.notes || "" },
      { control: "textarea" },
    ),
  ];
}

function values(data, zone) {
  return {
    title: data.title,
    kind: data.kind,
    starts_at: data.starts_at ? fromLocalInput(data.starts_at, zone) : null,
    ends_at: data.ends_at ? fromLocalInput(data.ends_at, zone) : null,
    location_name: data.location_name,
    location_address: data.location_address,
    // Blank coordinates clear the place's position (the API wants both or neither).
    lat: data.lat.trim() || null,
    lng: data.lng.trim() || null,
    estimated_cost: data.estimated_cost.trim() || null,
    currency: data.currency.trim(),
    notes: data.notes,
  };
}

function fill(form, activity, zone) {
  form.dataset.version = activity.version;
  const set = (name, value) => (form.elements[name].value = value || "");
  const names = ["title", "kind", "location_name", "location_address", "lat", "lng"];
  for (const name of [...names, "estimated_cost", "currency", "notes"]) {
    set(name, activity[name]);
  }
  set("starts_at", toLocalInput(activity.starts_at, zone));
  set("ends_at", toLocalInput(activity.ends_at, zone));
}

/** The API's refusals in the user's terms: activity names and times in the plan's zone. */
export function humanActivityError(error, plan, activities) {
  const zone = safeZone(plan.timezone);
  const when = (iso) => `${formatDay(iso, zone)}, ${formatTime(iso, zone)}`;
  if (error.code === "overlap") {
    const other = activities.get(Number([].concat(error.fields.conflicting_activity || [])[0]));
    error.message = other
      ? t("plan.activity_dialog.overlaps", {
          title: other.title,
          start: when(other.starts_at),
          end: formatTime(other.ends_at, zone),
        })
      : t("plan.activity_dialog.overlaps_another");
    error.fields = {};
  } else if (error.code === "outside_plan") {
    const text = t("plan.activity_dialog.pick_within_plan", {
      start: when(plan.start_at),
      end: when(plan.end_at),
      zone,
    });
    error.message = t("plan.activity_dialog.the_activity_must_lie_within");
    error.fields = Object.fromEntries(Object.keys(error.fields).map((name) => [name, [text]]));
  }
  return error;
}

async function save(view, activityId, form, body, conflict, zone) {
  const base = {
    ...view.record().activities.get(activityId),
    version: Number(form.dataset.version),
  };
  try {
    const sent = await view.submit(updateActivity(base, body, newClientId()));
    if (sent.answer) view.keep(sent.answer);
    toast(sent.answer ? t("plan.activity_dialog.saved") : t("offline.kept_for_later"));
    return true;
  } catch (error) {
    if (error.status !== 409 || !error.current) throw error;
    // Someone changed it first: take the server's version and let the user decide again.
    view.keep(error.current);
    fill(form, error.current, zone);
    conflict.textContent = t("plan.activity_dialog.changed_meanwhile");
    conflict.hidden = false;
    conflict.focus();
    return false;
  }
}

export function activityDialog(view, activityId = null) {
  const record = view.record();
  const zone = safeZone(record.data.timezone);
  const editing = activityId !== null;
  // What the user sees, their own waiting changes included.
  const shown = view.activities();
  const base = editing ? shown.get(activityId) : defaultsFor(record.data, shown);
  const conflict = h("p", { class: "conflict", role: "alert", hidden: true, tabindex: "-1" });
  const picker = placePicker(base);
  const { form } = formDialog({
    title: editing
      ? t("plan.activity_dialog.edit_title", { title: base.title })
      : t("plan.activity_dialog.add_activity"),
    submitLabel: editing
      ? t("plan.activity_dialog.save_changes")
      : t("plan.activity_dialog.add_activity"),
    fields: fields(base, zone, conflict, picker),
    onSubmit: async (data, form) => {
      const body = values(data, zone);
      try {
        if (editing) return await save(view, activityId, form, body, conflict, zone);
        const sent = await view.submit(createActivity(view.planId, body, newClientId()));
        if (sent.answer) view.keep(sent.answer);
        const added = t("plan.activity_dialog.added_title", { title: body.title });
        toast(sent.answer ? added : t("offline.kept_for_later"));
      } catch (error) {
        throw humanActivityError(error, view.record().data, view.record().activities);
      }
      return true;
    },
  });
  form.dataset.version = editing ? base.version : "";
  picker.start(form);
}
