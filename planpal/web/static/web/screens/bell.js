// The notification bell: unread count (live from notification.created / notification.read on
// user:<me>), a panel listing recent notifications, and a toast for each new one.

import { api, newClientId } from "../api.js";
import { h, replaceChildren } from "../lib/dom.js";
import { formatShort } from "../lib/format.js";
import { attempt, toast } from "../lib/toast.js";
import { notificationsReadHere } from "../offline/pending.js";
import { outbox, submit } from "../offline/sync.js";
import { readNotification } from "../offline/writes.js";
import { loadNotifications } from "../state/live.js";
import { onChange, store } from "../state/store.js";
import { t } from "../lib/i18n.js";

/** The notices of a plan's money (docs/money.md §7): they lead to the plan's Budget tab. */
const MONEY_KINDS = new Set([
  "plan.budget_80",
  "plan.budget_100",
  "plan.expense_large",
  "plan.balance_due",
]);

/** Where a notification leads: the friends page for requests, its plan, chat or group. */
export function notificationTarget(item) {
  const data = item.data || {};
  if (item.kind && item.kind.startsWith("friend.")) return "#/friends";
  if (data.plan_id && MONEY_KINDS.has(item.kind)) return `#/plans/${data.plan_id}/budget`;
  if (data.plan_id) return `#/plans/${data.plan_id}`;
  if (data.group_id && data.conversation_id) return `#/groups/${data.group_id}/chat`;
  if (data.conversation_id) return `#/conversations/${data.conversation_id}`;
  if (data.group_id) return `#/groups/${data.group_id}`;
  return null;
}

function notificationItem(item, open) {
  const more = item.count > 1;
  const count = item.count;
  const what =
    item.kind === "chat.message"
      ? t("bell.more_messages", { count })
      : t("bell.more_updates", { count });
  return h(
    "li",
    { class: item.read_at ? "notification" : "notification unread" },
    h(
      "button",
      {
        type: "button",
        class: "notification-button",
        dataset: { key: `n${item.id}` },
        onclick: () => open(item),
      },
      h("span", { class: "notification-title" }, item.title),
      item.body ? h("span", { class: "notification-body" }, item.body) : null,
      h(
        "span",
        { class: "notification-meta" },
        formatShort(item.created_at),
        more ? ` · ${what}` : "",
        item.read_at ? "" : ` · ${t("bell.unread")}`,
      ),
    ),
  );
}

function elements() {
  const $ = (id) => document.getElementById(id);
  return {
    bell: $("bell"),
    count: $("bell-count"),
    panel: $("notifications-panel"),
    list: $("notification-list"),
    readAll: $("read-all"),
  };
}

function toastNew(item) {
  // Not about what is on screen already (that chat or that plan is updating live).
  const data = item.data || {};
  const onScreen =
    (data.conversation_id && data.conversation_id === store.openConversation) ||
    (data.plan_id && data.plan_id === store.openPlan);
  if (!onScreen) toast(item.body ? `${item.title} — ${item.body}` : item.title);
}

function closeOnOutsideEvents({ bell, panel }, toggle) {
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      toggle(false);
      bell.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !panel.contains(event.target) && !bell.contains(event.target)) {
      toggle(false);
    }
  });
}

export function setupNotifications(navigate) {
  const ui = elements();

  // Read on this device while offline: shown read until the server says so.
  const readHere = () => notificationsReadHere(outbox.entries);
  const isRead = (item) => Boolean(item.read_at) || readHere().has(item.id);

  function renderCount() {
    const unread = Math.max(0, store.notifications.count - readHere().size);
    ui.count.textContent = unread > 99 ? "99+" : String(unread);
    ui.count.hidden = unread === 0;
    ui.bell.setAttribute(
      "aria-label",
      unread ? t("bell.notifications_unread", { count: unread }) : t("shell.notifications"),
    );
    ui.readAll.disabled = unread === 0;
  }

  function renderList() {
    const items = store.notifications.items;
    if (!items) return;
    if (!items.size)
      replaceChildren(ui.list, h("li", { class: "empty" }, t("bell.no_notifications_yet")));
    else
      replaceChildren(
        ui.list,
        [...items.values()].map((item) =>
          notificationItem(
            isRead(item) ? { ...item, read_at: item.read_at || "here" } : item,
            open,
          ),
        ),
      );
  }

  async function open(item) {
    if (!isRead(item)) await attempt(() => submit(readNotification(item, newClientId())));
    const target = notificationTarget(item);
    if (target) {
      toggle(false);
      navigate(target);
    }
  }

  async function toggle(show = ui.panel.hidden) {
    ui.panel.hidden = !show;
    ui.bell.setAttribute("aria-expanded", String(show));
    if (!show) return;
    replaceChildren(ui.list, h("li", { class: "empty" }, t("shell.loading")));
    await attempt(loadNotifications);
    renderList();
  }

  ui.bell.addEventListener("click", () => toggle());
  ui.readAll.addEventListener("click", () => attempt(() => api.post("notifications/read-all")));
  closeOnOutsideEvents(ui, toggle);
  onChange(({ kind, id }) => {
    if (kind === "notifications" || kind === "all" || kind === "outbox") {
      renderCount();
      renderList();
    }
    if (kind === "notification-created") toastNew(id);
  });
  renderCount();
}
