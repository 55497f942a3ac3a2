// What the user must know about offline work: a banner while screens show a copy saved on this
// device, and the "Changes on this device" panel: how many changes wait for the connection,
// and each change that needs a decision — a conflict (keep mine / take theirs, with both
// versions shown) or a refusal (retry / discard). Nothing is dropped without the user.

import { h, replaceChildren } from "../lib/dom.js";
import { formatShort } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { rt } from "../state/live.js";
import { onChange } from "../state/store.js";
import { keepActivity, keepMessage, outbox } from "./sync.js";

const FIELD_NAMES = {
  title: () => t("offline.field.title"),
  kind: () => t("offline.field.kind"),
  starts_at: () => t("offline.field.starts"),
  ends_at: () => t("offline.field.ends"),
  location_name: () => t("offline.field.place"),
  estimated_cost: () => t("offline.field.cost"),
  currency: () => t("offline.field.currency"),
  notes: () => t("offline.field.notes"),
  text: () => t("offline.field.text"), // a message's
};
/** What an outbox entry does, in words (writes.js: `kind` and `about`). */
const LABELS = {
  "activity.create": (about) => t("offline.label.add", about),
  "activity.update": (about) => t("offline.label.edit", about),
  "activity.complete": (about) => t("offline.label.complete", about),
  "activity.reopen": (about) => t("offline.label.reopen", about),
  "activity.reorder": (about) => t("offline.label.reorder", about),
  "message.send": (about) => t("offline.label.send", about),
  "message.edit": (about) => t("offline.label.edit_message", about),
  "notification.read": (about) => t("offline.label.read", about),
};
const labelOf = (entry) => LABELS[entry.kind](entry.about);
const shown = (value) => (value === null || value === undefined || value === "" ? "—" : value);

/** The fields where the user's change and the server's version differ. */
function differences(entry) {
  const rows = [];
  for (const [name, fieldName] of Object.entries(FIELD_NAMES)) {
    if (!entry.body || !(name in entry.body)) continue;
    const mine = entry.body[name];
    const theirs = entry.current[name];
    if (String(shown(mine)) === String(shown(theirs))) continue;
    const values = { field: fieldName(), theirs: shown(theirs), mine: shown(mine) };
    rows.push(h("li", {}, t("offline.conflict.difference", values)));
  }
  return rows.length ? h("ul", { class: "sync-diff" }, rows) : null;
}

function actionButton(label, onclick, primary = false) {
  const style = primary ? "button button-primary" : "button button-quiet";
  return h("button", { type: "button", class: style, onclick }, label);
}

function conflictItem(entry) {
  const theirs = () => {
    if (entry.kind.startsWith("message.")) keepMessage(entry.current);
    else keepActivity(entry.current);
    outbox.resolve(entry, "theirs");
  };
  return h(
    "li",
    { class: "sync-item sync-conflict", dataset: { seq: entry.seq } },
    h("p", { class: "sync-label" }, labelOf(entry)),
    h("p", {}, t("offline.conflict.explain")),
    differences(entry),
    h(
      "div",
      { class: "actions" },
      actionButton(t("offline.conflict.keep_mine"), () => outbox.resolve(entry, "mine"), true),
      actionButton(t("offline.conflict.take_theirs"), theirs),
    ),
  );
}

function failedItem(entry) {
  return h(
    "li",
    { class: "sync-item sync-failed", dataset: { seq: entry.seq } },
    h("p", { class: "sync-label" }, labelOf(entry)),
    h("p", {}, t("offline.failed.explain", { error: entry.error })),
    h(
      "div",
      { class: "actions" },
      actionButton(t("offline.failed.retry"), () => outbox.retry(entry), true),
      actionButton(t("offline.failed.discard"), () => outbox.discard(entry)),
    ),
  );
}

function panelContent(entries) {
  const waiting = entries.filter((entry) => entry.status === "pending").length;
  const decide = entries.filter((entry) => entry.status !== "pending");
  return [
    h("h2", { id: "sync-title" }, t("offline.panel.title")),
    waiting
      ? h("p", { class: "sync-waiting" }, t("offline.panel.waiting", { count: waiting }))
      : null,
    decide.length
      ? h(
          "ul",
          { class: "sync-list" },
          decide.map((entry) =>
            entry.status === "conflict" ? conflictItem(entry) : failedItem(entry),
          ),
        )
      : null,
  ];
}

/** The banner and the panel, kept up to date from the outbox and the connection. */
export function setupSyncPanel() {
  const banner = h("p", {
    class: "offline-banner",
    id: "offline-banner",
    role: "status",
    hidden: true,
  });
  const panel = h("section", {
    class: "sync-panel",
    id: "sync-panel",
    "aria-labelledby": "sync-title",
    hidden: true,
  });
  document.querySelector(".topbar").after(banner, panel);
  const render = () => {
    const entries = outbox.entries;
    panel.hidden = entries.length === 0;
    if (!panel.hidden) replaceChildren(panel, panelContent(entries));
  };
  window.addEventListener("planpal:offline-copy", (event) => {
    const saved = new Date(event.detail.savedAt).toISOString();
    banner.textContent = t("offline.banner", { saved: formatShort(saved) });
    banner.hidden = false;
  });
  rt.addEventListener("state", (event) => {
    if (event.detail.state === "connected") banner.hidden = true; // replays bring it up to date
  });
  onChange(({ kind }) => {
    if (kind === "outbox") render();
  });
  render();
}
