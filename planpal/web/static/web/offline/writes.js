// The writes that work offline, as outbox entries: what to send (method, path, body with its
// client_id or version) and what it is about (target).
// Pure: the plan screen, the chat and the bell build entries here; sync.js sends them. `about`
// names what it changes (panel.js words it in the language of the moment).

export function createActivity(planId, body, clientId) {
  return {
    kind: "activity.create",
    method: "POST",
    path: `plans/${planId}/activities`,
    body: { ...body, client_id: clientId },
    clientId,
    baseVersion: null,
    target: { type: "activity", plan: planId, id: null },
    about: { title: body.title },
  };
}

/** An edit based on `activity` as the user saw it (its version). */
export function updateActivity(activity, body, clientId) {
  return {
    kind: "activity.update",
    method: "PATCH",
    path: `activities/${activity.id}`,
    body: { ...body, version: activity.version },
    clientId,
    baseVersion: activity.version,
    target: { type: "activity", plan: activity.plan, id: activity.id },
    about: { title: activity.title },
  };
}

/** Mark done (done = true) or reopen. */
export function completeActivity(activity, done, clientId) {
  const request = done
    ? { method: "POST", path: `activities/${activity.id}/complete` }
    : { method: "POST", path: `activities/${activity.id}/reopen` };
  return {
    kind: done ? "activity.complete" : "activity.reopen",
    ...request,
    body: undefined,
    clientId,
    baseVersion: activity.version,
    target: { type: "activity", plan: activity.plan, id: activity.id },
    about: { title: activity.title },
  };
}

/** A text or place message; `fields` carries its client_id (the server's dedup key). */
export function sendMessage(conversationId, fields) {
  const text = fields.text || fields.location_name || "";
  return {
    kind: "message.send",
    method: "POST",
    path: `conversations/${conversationId}/messages`,
    body: fields,
    clientId: fields.client_id,
    baseVersion: null,
    target: { type: "conversation", id: conversationId },
    about: { text: text.slice(0, 40) },
  };
}

export function readNotification(notification, clientId) {
  return {
    kind: "notification.read",
    method: "POST",
    path: `notifications/${notification.id}/read`,
    body: undefined,
    clientId,
    baseVersion: null,
    target: { type: "notification", id: notification.id },
    about: { title: notification.title },
  };
}
