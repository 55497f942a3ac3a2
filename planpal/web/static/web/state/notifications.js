// Notifications: the unread count and the loaded list, kept up to date by notification.* events
// on the user's own topic. Pure: no DOM, no network.

function onOwnTopic(apply) {
  return (ctx, frame) => {
    const notifications = ctx.store.notifications;
    if (ctx.topic.kind !== "user" || frame.seq <= notifications.seq) return;
    notifications.seq = frame.seq;
    apply(ctx, notifications, frame.data);
    ctx.changed("notifications");
  };
}

function upsert(created) {
  return (ctx, notifications, data) => {
    // "updated": an unread notification folded in another (same id, higher count).
    if (created && !data.read_at) notifications.count += 1;
    if (notifications.items) {
      const known = notifications.items.get(data.id);
      notifications.items.delete(data.id);
      notifications.items = new Map([[data.id, { ...known, ...data }], ...notifications.items]);
    }
    ctx.changed("notification-created", data);
  };
}

export const reducers = {
  "notification.created": onOwnTopic(upsert(true)),
  "notification.updated": onOwnTopic(upsert(false)),
  "notification.read": onOwnTopic((ctx, notifications, data) => {
    notifications.count = Math.max(0, notifications.count - data.ids.length);
    for (const id of data.ids) {
      const item = notifications.items && notifications.items.get(id);
      if (item) item.read_at = data.read_at;
    }
  }),
};
