// The writes that work offline, as outbox entries: what to send (method, path, body with its
// client_id or version) and what it is about (target), with a label the user recognises.
// Pure: the plan screen, the chat and the bell build entries here; sync.js sends them.

const about = (activity) => `“${activity.title}”`;

export function createActivity(planId, body, clientId) {
  return {
    kind: "activity.create",
    method: "POST",
    path: `plans/${planId}/activities`,
    body: { ...body, client_id: clientId },
    clientId,
    baseVersion: null,
    target: { type: "activity", plan: planId, id: null },
    label: `Add ${about(body)}`,
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
    label: `Edit ${about(activity)}`,
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
    label: `${done ? "Mark" : "Reopen"} ${about(activity)}${done ? " done" : ""}`,
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
    label: `Send “${text.slice(0, 40)}”`,
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
    label: `Mark “${notification.title}” read`,
  };
}
