// The private calendar feed URL (all the plans you can see, or one plan's): show it, copy it
// into a calendar app, open it with webcal://, get a new one when it leaked.

import { api } from "../api.js";
import { confirmDialog } from "../lib/dialogs.js";
import { h, replaceChildren } from "../lib/dom.js";
import { attempt, toast } from "../lib/toast.js";

async function copy(url) {
  try {
    await navigator.clipboard.writeText(url);
    toast("Feed URL copied. Paste it into your calendar app's “subscribe by URL”.");
  } catch {
    toast("Select the URL and copy it yourself: this browser did not allow copying.");
  }
}

function feedRow(feed, rotate) {
  const field = h("input", {
    readonly: true,
    value: feed.url,
    "aria-label": "Calendar feed URL",
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
        "Copy",
      ),
    ),
    h(
      "p",
      { class: "copy-row" },
      h("a", { class: "button button-secondary", href: feed.webcal_url }, "Open in calendar app"),
      h("button", { type: "button", class: "button button-quiet", onclick: rotate }, "New URL"),
    ),
  ];
}

/** A card with the feed URL of `planId` (or of all plans when null). */
export function calendarFeedCard(planId = null) {
  const body = h("div", { class: "stack" }, h("p", { class: "muted" }, "Loading…"));
  const show = (feed) => replaceChildren(body, feedRow(feed, rotate));
  async function rotate() {
    const sure = await confirmDialog(
      "Get a new feed URL?",
      "Calendars subscribed with the current URL stop updating; subscribe them again.",
      "New URL",
    );
    if (!sure) return;
    const feed = await attempt(() =>
      api.post("calendar/feed/rotate", planId === null ? {} : { plan: planId }),
    );
    if (feed) {
      show(feed);
      toast("New feed URL made; the old one no longer works.");
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
    h("h2", { id: "calendar-feed-title" }, "Calendar feed"),
    h(
      "p",
      { class: "field-hint" },
      planId === null
        ? "Subscribe to this private URL in your calendar app to see every plan you are in."
        : "Subscribe to this private URL in your calendar app to see this plan.",
      " Anyone with the URL can read it: keep it to yourself, or get a new one.",
    ),
    body,
  );
}
