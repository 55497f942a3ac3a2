// The writes that work offline, as outbox entries: what to send (method, path, body with its
// client_id or version) and what it is about (target).
// Pure: the plan screen, the chat and the bell build entries here; sync.js sends them. `about`
// names what it changes (panel.js words it in the language of the moment). A reorder is sent
// against the plan's order of the moment (orderAgainst, versionsMoved: sync.js).

import { byCustomOrder } from "../state/plans.js";

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

/** Activities (ids) in the order the plan's itinerary shows them: the server's order. */
export function inOrder(activities) {
  return [...activities].sort(byCustomOrder).map((activity) => activity.id);
}

/** The order to send for `wanted` (the ids as the user arranged them) against `current` (the
 *  plan's ids in the server's order now): the activities the user arranged take the places
 *  they hold now, in the user's order; one added since keeps its place; one deleted since is
 *  left out. The server wants every activity exactly once, and another member may have added
 *  or deleted one while this device was offline. */
export function orderAgainst(wanted, current) {
  const present = new Set(current);
  const mine = wanted.filter((id) => present.has(id));
  const arranged = new Set(mine);
  let next = 0;
  return current.map((id) => (arranged.has(id) ? mine[next++] : id));
}

/** What a reorder changed, from the activities before it and after it: [{id, from, to}] for
 *  each whose version moved (outbox.js rebases the edits waiting behind it). */
export function versionsMoved(before, after) {
  const versions = new Map(before.map((activity) => [activity.id, activity.version]));
  return after
    .filter(
      (activity) => versions.has(activity.id) && versions.get(activity.id) !== activity.version,
    )
    .map(({ id, version }) => ({ id, from: versions.get(id), to: version }));
}

/** The plan's activities in a new order (`order`: their ids; `title` names the one moved).
 *  The reorder endpoint takes no version: the last order sent wins, as it does online, and
 *  sending the same order again moves nothing (no event). */
export function reorderActivities(planId, order, title, clientId) {
  return {
    kind: "activity.reorder",
    method: "POST",
    path: `plans/${planId}/activities/reorder`,
    body: { order },
    clientId,
    baseVersion: null,
    target: { type: "activity", plan: planId, id: null },
    about: { title },
  };
}

/** A message's new text, based on `message` as the user saw it (its version). */
export function editMessage(message, text, clientId) {
  const excerpt = message.text || message.location_name || "";
  return {
    kind: "message.edit",
    method: "PATCH",
    path: `messages/${message.id}`,
    body: { text, version: message.version },
    clientId,
    baseVersion: message.version,
    target: { type: "message", conversation: message.conversation_id, id: message.id },
    about: { text: excerpt.slice(0, 40) },
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
