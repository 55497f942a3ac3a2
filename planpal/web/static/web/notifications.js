// The notification bell: unread count (live from notification.created / notification.read on
// user:<me>), and a panel listing recent notifications.

import { api } from "./api.js";
import { loadNotifications, onChange, store } from "./state.js";
import { errorMessage, formatShort, h, replaceChildren, toast } from "./ui.js";

/** Where a notification leads: its plan, or its group's chat. */
export function notificationTarget(item) {
  const data = item.data || {};
  if (data.plan_id) return `#/plans/${data.plan_id}`;
  if (data.group_id && data.conversation_id) return `#/groups/${data.group_id}/chat`;
  return null;
}

export function setupNotifications(navigate) {
  const bell = document.getElementById("bell");
  const count = document.getElementById("bell-count");
  const panel = document.getElementById("notifications-panel");
  const list = document.getElementById("notification-list");
  const readAll = document.getElementById("read-all");

  function renderCount() {
    const unread = store.notifications.count;
    count.textContent = unread > 99 ? "99+" : String(unread);
    count.hidden = unread === 0;
    bell.setAttribute("aria-label", unread ? `Notifications, ${unread} unread` : "Notifications");
    readAll.disabled = unread === 0;
  }

  function renderList() {
    const items = store.notifications.items;
    if (!items) return;
    if (!items.size) {
      replaceChildren(list, h("li", { class: "empty" }, "No notifications yet."));
      return;
    }
    replaceChildren(
      list,
      [...items.values()].map((item) =>
        h(
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
              item.count > 1
                ? ` · ${item.count} ${item.kind === "chat.message" ? "messages" : "updates"}`
                : "",
              item.read_at ? "" : " · unread",
            ),
          ),
        ),
      ),
    );
  }

  async function open(item) {
    try {
      if (!item.read_at) await api.post(`notifications/${item.id}/read`);
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
    const target = notificationTarget(item);
    if (target) {
      toggle(false);
      navigate(target);
    }
  }

  async function toggle(show = panel.hidden) {
    panel.hidden = !show;
    bell.setAttribute("aria-expanded", String(show));
    if (show) {
      replaceChildren(list, h("li", { class: "empty" }, "Loading…"));
      try {
        await loadNotifications();
      } catch (error) {
        toast(errorMessage(error), { error: true });
      }
      renderList();
    }
  }

  bell.addEventListener("click", () => toggle());
  readAll.addEventListener("click", async () => {
    try {
      await api.post("notifications/read-all");
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
  });
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
  onChange(({ kind, id }) => {
    if (kind === "notifications" || kind === "all") {
      renderCount();
      renderList();
    }
    if (kind === "notification-created") {
      // Not about what is on screen already (that chat or that plan is updating live).
      const data = id.data || {};
      const onScreen =
        (data.conversation_id && data.conversation_id === store.openConversation) ||
        (data.plan_id && data.plan_id === store.openPlan);
      if (!onScreen) toast(`${id.title}: ${id.body || "new notification"}`);
    }
  });
  renderCount();
}
