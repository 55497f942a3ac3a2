// The private calendar feed URL (all the plans you can see, or one plan's): show it, copy it
// into a calendar app, open it with webcal://, get a new one when it leaked.

import { api } from "../api.js";
import { confirmDialog } from "../lib/dialogs.js";
import { h, replaceChildren } from "../lib/dom.js";
import { attempt, toast } from "../lib/toast.js";
import { t } from "../lib/i18n.js";

async function copy(url) {
  try {
    await navigator.clipboard.writeText(url);
    toast(t("calendar_feed.feed_url_copied_paste_it"));
  } catch {
    toast(t("calendar_feed.select_the_url_and_copy"));
  }
}

function feedRow(feed, rotate) {
  const field = h("input", {
    readonly: true,
    value: feed.url,
    "aria-label": t("calendar_feed.calendar_feed_url"),
    dataset: { key: "calendar-feed-url" },
  });
  field.addEventListener("focus", () => field.select());
  return [
    h(
      "div",
      { class: "copy-row" },
      field,
      h(
        "button",
        { type: "button", class: "button button-primary", onclick: () => copy(feed.url) },
        t("calendar_feed.copy"),
      ),
    ),
    h(
      "p",
      { class: "copy-row" },
      h(
        "a",
        { class: "button button-secondary", href: feed.webcal_url },
        t("calendar_feed.open_in_calendar_app"),
      ),
      h(
        "button",
        { type: "button", class: "button button-quiet", onclick: rotate },
        t("calendar_feed.new_url"),
      ),
    ),
  ];
}

/** A card with the feed URL of `planId` (or of all plans when null). */
export function calendarFeedCard(planId = null) {
  const body = h("div", { class: "stack" }, h("p", { class: "muted" }, t("shell.loading")));
  const show = (feed) => replaceChildren(body, feedRow(feed, rotate));
  async function rotate() {
    const sure = await confirmDialog(
      t("calendar_feed.get_a_new_feed_url"),
      t("calendar_feed.calendars_subscribed_with_the_current"),
      t("calendar_feed.new_url"),
    );
    if (!sure) return;
    const feed = await attempt(() =>
      api.post("calendar/feed/rotate", planId === null ? {} : { plan: planId }),
    );
    if (feed) {
      show(feed);
      toast(t("calendar_feed.new_feed_url_made_the"));
    }
  }
  const asked =
    planId === null ? api.get("calendar/feed") : api.get(`calendar/feed?plan=${planId}`);
  asked.then(show, (error) =>
    replaceChildren(body, h("p", { class: "form-error" }, error.message)),
  );
  return h(
    "section",
    { class: "stack card", "aria-labelledby": "calendar-feed-title" },
    h("h2", { id: "calendar-feed-title" }, t("calendar_feed.calendar_feed")),
    h(
      "p",
      { class: "field-hint" },
      planId === null
        ? t("calendar_feed.subscribe_every_plan")
        : t("calendar_feed.subscribe_this_plan"),
    ),
    body,
  );
}
