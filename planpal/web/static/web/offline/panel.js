// What the user must know about offline work: a banner while screens show a copy saved on this
// device, and the "Changes on this device" panel: how many changes wait for the connection,
// and each change that needs a decision — a conflict (keep mine / take theirs, with both
// versions shown) or a refusal (retry / discard). Nothing is dropped without the user.

import { h, replaceChildren } from "../lib/dom.js";
import { formatShort } from "../lib/format.js";
import { rt } from "../state/live.js";
import { onChange } from "../state/store.js";
import { keepActivity, outbox } from "./sync.js";

const FIELD_NAMES = {
  title: "Title",
  kind: "Kind",
  starts_at: "Starts",
  ends_at: "Ends",
  location_name: "Place",
  estimated_cost: "Cost",
  currency: "Currency",
  notes: "Notes",
};
const shown = (value) => (value === null || value === undefined || value === "" ? "—" : value);

/** The fields where the user's change and the server's version differ. */
function differences(entry) {
  const rows = [];
  for (const [name, label] of Object.entries(FIELD_NAMES)) {
    if (!entry.body || !(name in entry.body)) continue;
    const mine = entry.body[name];
    const theirs = entry.current[name];
    if (String(shown(mine)) === String(shown(theirs))) continue;
    rows.push(h("li", {}, `${label}: theirs “${shown(theirs)}”, yours “${shown(mine)}”`));
  }
  return rows.length ? h("ul", { class: "sync-diff" }, rows) : null;
}

function actionButton(label, onclick, primary = false) {
  const style = primary ? "button button-primary" : "button button-quiet";
  return h("button", { type: "button", class: style, onclick }, label);
}

function conflictItem(entry) {
  const theirs = () => {
    keepActivity(entry.current);
    outbox.resolve(entry, "theirs");
  };
  return h(
    "li",
    { class: "sync-item sync-conflict", dataset: { seq: entry.seq } },
    h("p", { class: "sync-label" }, entry.label),
    h("p", {}, "Someone else changed it while you were offline."),
    differences(entry),
    h(
      "div",
      { class: "actions" },
      actionButton("Keep mine", () => outbox.resolve(entry, "mine"), true),
      actionButton("Take theirs", theirs),
    ),
  );
}

function failedItem(entry) {
  return h(
    "li",
    { class: "sync-item sync-failed", dataset: { seq: entry.seq } },
    h("p", { class: "sync-label" }, entry.label),
    h("p", {}, `Not saved: ${entry.error}`),
    h(
      "div",
      { class: "actions" },
      actionButton("Retry", () => outbox.retry(entry), true),
      actionButton("Discard", () => outbox.discard(entry)),
    ),
  );
}

function panelContent(entries) {
  const waiting = entries.filter((entry) => entry.status === "pending").length;
  const decide = entries.filter((entry) => entry.status !== "pending");
  return [
    h("h2", { id: "sync-title" }, "Changes on this device"),
    waiting
      ? h(
          "p",
          { class: "sync-waiting" },
          waiting === 1
            ? "1 change waits for the connection."
            : `${waiting} changes wait for the connection.`,
        )
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
    banner.textContent = `Offline: showing what this device saved (${formatShort(saved)}).`;
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
