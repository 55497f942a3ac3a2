// Profile and settings: display name, e-mail, time zone, avatar; the password; notification
// preferences (kinds you do not want, quiet hours, muted groups and plans); the calendar feed URL.

import { api } from "../api.js";
import { formError, formField, onFormSubmit } from "../lib/dialogs.js";
import { h } from "../lib/dom.js";
import { toast } from "../lib/toast.js";
import { store } from "../state/store.js";
import { calendarFeedCard } from "./calendar-feed.js";

const KINDS = [
  ["chat.message", "Chat messages"],
  ["friend.requested", "Friend requests"],
  ["friend.accepted", "Accepted friend requests"],
  ["group.member_added", "Being added to a group"],
  ["plan.created", "New plans"],
  ["plan.updated", "Plan changes"],
  ["plan.status_changed", "Trips starting, ending or cancelled"],
  ["plan.activity_completed", "Activities done"],
  ["plan.reminder", "Trip reminders"],
  ["plan.activity_reminder", "Activity reminders"],
  ["webhook.disabled", "Webhooks switched off"],
];

function zones() {
  const list =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const all = new Set(["UTC", ...list, store.me.timezone].filter(Boolean));
  return [...all].map((zone) => [zone, zone.replaceAll("_", " ")]);
}

function profileForm() {
  const me = store.me;
  const form = h(
    "form",
    { class: "stack card", novalidate: true, "aria-labelledby": "profile-title" },
    h("h2", { id: "profile-title" }, "Profile"),
    formError(),
    formField("Display name", {
      name: "display_name",
      maxlength: "80",
      value: me.display_name || "",
      autocomplete: "name",
    }),
    formField("Email", {
      name: "email",
      type: "email",
      required: true,
      value: me.email || "",
      autocomplete: "email",
    }),
    formField(
      "Time zone",
      { name: "timezone", value: me.timezone || "UTC" },
      { control: "select", options: zones(), hint: "Used for new plans and for quiet hours." },
    ),
    formField("Avatar image URL", {
      name: "avatar_url",
      type: "url",
      value: me.avatar_url || "",
      placeholder: "https://…",
    }),
    h("button", { type: "submit", class: "button button-primary" }, "Save profile"),
  );
  onFormSubmit(form, async (data) => {
    const me = await api.patch("me", data);
    Object.assign(store.me, me);
    document.getElementById("me-name").textContent = me.display_name || me.username;
    toast("Profile saved.");
  });
  return form;
}

function passwordForm() {
  const form = h(
    "form",
    { class: "stack card", novalidate: true, "aria-labelledby": "password-title" },
    h("h2", { id: "password-title" }, "Password"),
    formError(),
    formField("Current password", {
      name: "old_password",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    formField(
      "New password",
      { name: "new_password", type: "password", autocomplete: "new-password", required: true },
      { hint: "Changing it signs you out on every other device and browser." },
    ),
    h("button", { type: "submit", class: "button button-primary" }, "Change password"),
  );
  onFormSubmit(form, async (data) => {
    await api.post("me/password", data);
    form.reset();
    toast("Password changed. Your other devices are signed out.");
  });
  return form;
}

function checkboxes(legend, name, options, checked) {
  return h(
    "fieldset",
    { class: "checkboxes" },
    h("legend", {}, legend),
    options.map(([value, label]) => {
      const id = `${name}-${value}`.replaceAll(".", "-");
      return h(
        "span",
        { class: "check-row" },
        h("input", { type: "checkbox", id, name, value, checked: checked.includes(value) }),
        h("label", { for: id }, label),
      );
    }),
  );
}

function preferencesForm(prefs) {
  const groups = [...store.groups.values()].map(({ data }) => [data.id, data.name]);
  const plans = [...store.plans.values()].map(({ data }) => [data.id, data.title]);
  const time = (value) => (value ? value.slice(0, 5) : "");
  const form = h(
    "form",
    { class: "stack card", novalidate: true, "aria-labelledby": "prefs-title" },
    h("h2", { id: "prefs-title" }, "Notifications"),
    formError(),
    checkboxes(
      "Notify me about",
      "kinds",
      KINDS,
      KINDS.map(([kind]) => kind).filter((kind) => !prefs.disabled_kinds.includes(kind)),
    ),
    h(
      "div",
      { class: "field-row" },
      formField("Quiet from", {
        name: "quiet_hours_start",
        type: "time",
        value: time(prefs.quiet_hours_start),
      }),
      formField("Quiet until", {
        name: "quiet_hours_end",
        type: "time",
        value: time(prefs.quiet_hours_end),
      }),
    ),
    h(
      "p",
      { class: "field-hint" },
      "No pushes during quiet hours (in your time zone). Leave both empty for none.",
    ),
    groups.length
      ? checkboxes("Mute groups", "muted_group_ids", groups, prefs.muted_group_ids)
      : null,
    plans.length ? checkboxes("Mute plans", "muted_plan_ids", plans, prefs.muted_plan_ids) : null,
    h("button", { type: "submit", class: "button button-primary" }, "Save notification settings"),
  );
  onFormSubmit(form, async () => {
    const values = (name) =>
      [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
    const wanted = new Set(values("kinds"));
    await api.patch("notification-preferences", {
      disabled_kinds: KINDS.map(([kind]) => kind).filter((kind) => !wanted.has(kind)),
      quiet_hours_start: form.elements.quiet_hours_start.value || null,
      quiet_hours_end: form.elements.quiet_hours_end.value || null,
      muted_group_ids: values("muted_group_ids").map(Number),
      muted_plan_ids: values("muted_plan_ids").map(Number),
    });
    toast("Notification settings saved.");
  });
  return form;
}

export async function renderProfile(main) {
  const prefs = await api.get("notification-preferences");
  main.replaceChildren(
    h("h1", {}, "Profile and settings"),
    h(
      "div",
      { class: "settings" },
      profileForm(),
      passwordForm(),
      preferencesForm(prefs),
      calendarFeedCard(),
    ),
  );
  return null;
}
