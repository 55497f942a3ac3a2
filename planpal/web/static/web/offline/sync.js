// The outbox wired to the app: writes go straight to the server when it is reachable and
// nothing waits, else into the outbox; the outbox is sent once the connection is back and
// every followed topic has replayed what was missed (rt.settled()), so conflicts are judged
// against the latest state; answers land in the store like the screens' own answers do.

import { request } from "../api.js";
import { rt } from "../state/live.js";
import { changed, store } from "../state/store.js";
import { database } from "./device.js";
import { createOutbox } from "./outbox.js";
import { inOrder, orderAgainst, versionsMoved } from "./writes.js";

const RETRY_MS = 5000;

const send = (entry) =>
  request(entry.method, entry.path, entry.body, { idempotencyKey: entry.clientId });

/** A kept reorder, sent against the plan's activities as they are now (writes.js
 *  orderAgainst). The answer says which activities it moved, from which version to which, so
 *  later edits of them made on this device are rebased (outbox.js), not refused as conflicts. */
async function sendReorder(entry) {
  const before = await request("GET", `plans/${entry.target.plan}/activities`);
  const order = orderAgainst(entry.body.order, inOrder(before.results));
  const answer = await send({ ...entry, body: { order } });
  return { ...answer, moved: versionsMoved(before.results, answer.results) };
}

const sendKept = (entry) => (entry.kind === "activity.reorder" ? sendReorder(entry) : send(entry));

/** A newer activity from an answer goes into its plan (an older one changes nothing). */
export function keepActivity(activity) {
  const record = store.plans.get(activity.plan);
  if (!record || !record.activities) return;
  const held = record.activities.get(activity.id);
  if (!held || activity.version > held.version) record.activities.set(activity.id, activity);
  changed("plan", activity.plan);
}

/** A newer message from an answer goes into its conversation's log (if it is loaded). */
export function keepMessage(message) {
  const record = store.messages.get(message.conversation_id);
  if (!record) return;
  const held = record.items.get(message.id);
  if (!held || message.version > held.version) record.items.set(message.id, message);
  changed("messages", message.conversation_id);
}

function applyAnswer(entry, answer) {
  if (entry.kind === "activity.reorder" && answer) answer.results.forEach(keepActivity);
  else if (entry.kind.startsWith("activity.") && answer) keepActivity(answer);
  if (entry.kind === "message.edit" && answer) keepMessage(answer);
  if (entry.kind === "message.send" && answer) {
    const record = store.messages.get(entry.target.id);
    if (!record) return;
    if (!record.items.has(answer.id)) record.items.set(answer.id, answer);
    record.pending.delete(entry.clientId);
    changed("messages", entry.target.id);
  }
}

export const outbox = createOutbox({
  db: database,
  send: sendKept,
  onSent: applyAnswer,
  owner: () => (store.me ? store.me.id : null),
});
outbox.subscribe(() => changed("outbox"));

let retryTimer = null;

/** Send what waits, after the topics' replays; try again later while the server is away. */
export async function flush() {
  clearTimeout(retryTimer);
  if (!outbox.busy() || navigator.onLine === false) return;
  // Not before the topics have replayed what was missed: "connected" calls this again.
  if (rt.state !== "connected") return;
  await rt.settled().catch(() => {});
  const done = await outbox.flush().catch(() => false);
  if (!done) retryTimer = setTimeout(flush, RETRY_MS);
}

/**
 * Send `write` (writes.js) now, or keep it: resolves to {answer} once sent, or {queued: entry}
 * when the network is gone or earlier writes still wait (their order is kept). A refusal by
 * the server is thrown, as from api.js.
 */
export async function submit(write) {
  if (navigator.onLine !== false && !outbox.busy()) {
    try {
      return { answer: await send(write) };
    } catch (error) {
      if (error.status !== 0) throw error;
    }
  }
  const entry = await outbox.add(write);
  flush();
  return { queued: entry };
}

/** After sign-in: this user's waiting writes come back and go out when they can. */
export async function startSync() {
  await outbox.load();
  flush();
}

rt.addEventListener("state", (event) => {
  // Right after "connected" the client resubscribes every topic: settle after those.
  if (event.detail.state === "connected") setTimeout(flush, 0);
});
