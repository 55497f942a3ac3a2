// What the screens show while writes wait in the outbox: the store's state with the waiting
// changes laid over it, each marked (`pending`, or `conflict` / `failed` when it needs the
// user). Derived on every render, never stored: once an entry is sent or dropped its mark is
// gone and the server's version (from the answer or the event) shows. Pure, unit-tested.

import { inOrder, orderAgainst } from "./writes.js";

const MARKS = { pending: "pending", conflict: "conflict", failed: "failed" };

function overlay(activity, entry, me) {
  const mark = { sync: MARKS[entry.status], entrySeq: entry.seq };
  if (entry.kind === "activity.update") {
    if (entry.status === "conflict") return { ...activity, ...mark };
    const { version: _, ...fields } = entry.body;
    return { ...activity, ...fields, ...mark };
  }
  if (entry.kind === "activity.complete") {
    return {
      ...activity,
      completed_at: new Date(entry.at).toISOString(),
      completed_by: me,
      ...mark,
    };
  }
  if (entry.kind === "activity.reopen") {
    return { ...activity, completed_at: null, completed_by: null, ...mark };
  }
  return activity;
}

/** A waiting reorder: positions as the user arranged them (against the activities shown now,
 *  as the server will be asked: writes.js orderAgainst); the ones it moves are marked. */
function reordered(result, entry) {
  const current = inOrder([...result.values()].filter((a) => typeof a.id === "number"));
  orderAgainst(entry.body.order, current).forEach((id, position) => {
    const activity = result.get(id);
    const moved = current[position] !== id;
    const mark = moved && !activity.sync ? { sync: MARKS[entry.status], entrySeq: entry.seq } : {};
    result.set(id, { ...activity, position, ...mark });
  });
}

/** A plan's activities (Map id → activity) with the outbox's changes to them applied. New
 *  activities get the id `new-<client_id>` until the server gives them one. */
export function activitiesWithPending(activities, entries, planId, me = null) {
  const result = new Map(activities);
  for (const entry of entries) {
    const target = entry.target || {};
    if (target.type !== "activity" || target.plan !== planId) continue;
    if (entry.kind === "activity.create") {
      const id = `new-${entry.clientId}`;
      const { client_id: _, ...fields } = entry.body;
      result.set(id, {
        id,
        plan: planId,
        kind: "activity",
        position: Number.MAX_SAFE_INTEGER,
        completed_at: null,
        completed_by: null,
        version: 0,
        ...fields,
        sync: MARKS[entry.status],
        entrySeq: entry.seq,
      });
    } else if (entry.kind === "activity.reorder") {
      reordered(result, entry);
    } else if (result.has(target.id)) {
      result.set(target.id, overlay(result.get(target.id), entry, me));
    }
  }
  return result;
}

/** The chat's copies of messages still in the outbox (client_id → pending message), in the
 *  shape the chat's own sending uses; `status` is "queued" or "failed". */
export function messagesWaiting(entries, conversationId, me) {
  const waiting = new Map();
  for (const entry of entries) {
    if (entry.kind !== "message.send" || entry.target.id !== conversationId) continue;
    waiting.set(entry.clientId, {
      ...entry.body,
      content: entry.body.kind === "text" ? entry.body.text : { ...entry.body },
      sender: me,
      created_at: new Date(entry.at).toISOString(),
      status: entry.status === "pending" ? "queued" : "failed",
      entrySeq: entry.seq,
    });
  }
  return waiting;
}

/** A conversation's messages (Map id → message) with the edits still in the outbox laid over
 *  them: the new text, marked like activities (`sync`); a conflict shows the server's text. */
export function messagesWithEdits(items, entries, conversationId) {
  let result = items;
  for (const entry of entries) {
    const target = entry.target || {};
    if (entry.kind !== "message.edit" || target.conversation !== conversationId) continue;
    const message = result.get(target.id);
    if (!message) continue;
    if (result === items) result = new Map(items);
    const text = entry.status === "conflict" ? message.text : entry.body.text;
    result.set(target.id, { ...message, text, sync: MARKS[entry.status], entrySeq: entry.seq });
  }
  return result;
}

/** Notifications marked read on this device but not yet on the server. */
export function notificationsReadHere(entries) {
  return new Set(
    entries.filter((entry) => entry.kind === "notification.read").map((entry) => entry.target.id),
  );
}
