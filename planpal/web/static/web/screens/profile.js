// Profile and settings: display name, e-mail, time zone, avatar; the password; notification
// preferences (kinds you do not want, quiet hours, muted groups and plans); the calendar feed URL.

import { api } from "../api.js";
import { formError, formField, onFormSubmit } from "../lib/dialogs.js";
import { h } from "../lib/dom.js";
import { toast } from "../lib/toast.js";
import { rt } from "../state/live.js";
import { store } from "../state/store.js";
import { calendarFeedCard } from "./calendar-feed.js";
import { currentLanguage, LANGUAGES, t } from "../lib/i18n.js";
import { reloadIn } from "../lib/language.js";

const KINDS = [
  ["chat.message", t("profile.chat_messages")],
  ["friend.requested", t("friends.friend_requests")],
  ["friend.accepted", t("profile.accepted_friend_requests")],
  ["group.member_added", t("profile.being_added_to_a_group")],
  ["plan.created", t("profile.new_plans")],
  ["plan.updated", t("profile.plan_changes")],
  ["plan.status_changed", t("profile.trips_starting_ending_or_cancelled")],
  ["plan.activity_completed", t("profile.activities_done")],
  ["plan.reminder", t("profile.trip_reminders")],
  ["plan.activity_reminder", t("profile.activity_reminders")],
  ["webhook.disabled", t("profile.webhooks_switched_off")],
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
    h("h2", { id: "profile-title" }, t("shell.profile")),
    formError(),
    formField(t("auth.display_name"), {
      name: "display_name",
      maxlength: "80",
      value: me.display_name || "",
      autocomplete: "name",
    }),
    formField(t("auth.email"), {
      name: "email",
      type: "email",
      required: true,
      value: me.email || "",
      autocomplete: "email",
    }),
    formField(
      t("profile.time_zone"),
      { name: "timezone", value: me.timezone || "UTC" },
      { control: "select", options: zones(), hint: t("profile.used_for_new_plans_and") },
    ),
    formField(
      t("shell.language"),
      { name: "language", value: currentLanguage() },
      { control: "select", options: LANGUAGES.map(({ code, name }) => [code, name]) },
    ),
    formField(t("profile.avatar_image_url"), {
      name: "avatar_url",
      type: "url",
      value: me.avatar_url || "",
      placeholder: "https://…",
    }),
    h("button", { type: "submit", class: "button button-primary" }, t("profile.save_profile")),
  );
  onFormSubmit(form, async (data) => {
    const me = await api.patch("me", data);
    Object.assign(store.me, me);
    if (data.language !== currentLanguage()) return reloadIn(data.language);
    document.getElementById("me-name").textContent = me.display_name || me.username;
    toast(t("profile.profile_saved"));
  });
  return form;
}

function passwordForm() {
  const form = h(
    "form",
    { class: "stack card", novalidate: true, "aria-labelledby": "password-title" },
    h("h2", { id: "password-title" }, t("auth.password")),
    formError(),
    formField(t("profile.current_password"), {
      name: "old_password",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    formField(
      t("auth.new_password"),
      { name: "new_password", type: "password", autocomplete: "new-password", required: true },
      { hint: t("profile.changing_it_signs_you_out") },
    ),
    h("button", { type: "submit", class: "button button-primary" }, t("profile.change_password")),
  );
  onFormSubmit(form, async (data) => {
    // The change gives this browser a new session cookie. A request that left with the old one
    // and is answered after the change comes back deleting the new cookie (Django ends a session
    // whose password hash is stale), so nothing of ours may be out meanwhile: the service
    // worker's first install fetches the page with the cookie, and our live connection's
    // checks use it too.
    await serviceWorkerInstalled();
    rt.stop();
    try {
      await api.post("me/password", data);
    } finally {
      rt.start();
    }
    form.reset();
    toast(t("profile.password_changed_your_other_devices"));
  });
  return form;
}

function serviceWorkerInstalled() {
  if (!("serviceWorker" in navigator) || navigator.serviceWorker.controller) {
    return Promise.resolve();
  }
  // Not controlled yet: the first install is running (or the worker is unavailable: give up
  // waiting after a few seconds).
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
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
    h("h2", { id: "prefs-title" }, t("shell.notifications")),
    formError(),
    checkboxes(
      t("profile.notify_me_about"),
      "kinds",
      KINDS,
      KINDS.map(([kind]) => kind).filter((kind) => !prefs.disabled_kinds.includes(kind)),
    ),
    h(
      "div",
      { class: "field-row" },
      formField(t("profile.quiet_from"), {
        name: "quiet_hours_start",
        type: "time",
        value: time(prefs.quiet_hours_start),
      }),
      formField(t("profile.quiet_until"), {
        name: "quiet_hours_end",
        type: "time",
        value: time(prefs.quiet_hours_end),
      }),
    ),
    h("p", { class: "field-hint" }, t("profile.no_pushes_during_quiet_hours")),
    groups.length
      ? checkboxes(t("profile.mute_groups"), "muted_group_ids", groups, prefs.muted_group_ids)
      : null,
    plans.length
      ? checkboxes(t("profile.mute_plans"), "muted_plan_ids", plans, prefs.muted_plan_ids)
      : null,
    h(
      "button",
      { type: "submit", class: "button button-primary" },
      t("profile.save_notification_settings"),
    ),
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
    toast(t("profile.notification_settings_saved"));
  });
  return form;
}

export async function renderProfile(main) {
  const prefs = await api.get("notification-preferences");
  main.replaceChildren(
    h("h1", {}, t("profile.profile_and_settings")),
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
