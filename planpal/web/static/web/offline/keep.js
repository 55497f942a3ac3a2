// Keeps the device's copies current: a plan's itinerary and a chat's recent messages change
// live after they were loaded (events), so their snapshots are written again from the store,
// with the seq they now reflect. Opened offline later, they show what was last seen, and the
// replay on reconnect starts from there.

import { store } from "../state/store.js";
import { snapshots } from "./device.js";

const WAIT_MS = 1000; // one write per burst of events
const KEPT_MESSAGES = 50; // as many as a chat loads (state/live.js loadMessages)
const timers = new Map();

function later(key, write) {
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      write();
    }, WAIT_MS),
  );
}

/** The plan with its activities, as `GET plans/<id>` answers it. */
function savePlan(planId) {
  const record = store.plans.get(planId);
  if (!record || !record.activities) return;
  // Activity events move both seqs; plan-only events (idempotent) move only `seq`.
  const stream = { topic: `plan:${planId}`, seq: Math.min(record.seq, record.actSeq) };
  const activities = [...record.activities.values()];
  snapshots.save(`plans/${planId}`, { ...record.data, activities, stream });
}

/** The newest messages, as `GET conversations/<id>/messages?limit=50` answers them. */
function saveMessages(conversationId) {
  const record = store.messages.get(conversationId);
  const conversation = store.conversations.get(conversationId);
  if (!record || !conversation) return;
  const results = [...record.items.values()].reverse().slice(0, KEPT_MESSAGES);
  const stream = { topic: conversation.data.stream.topic, seq: record.seq };
  const path = `conversations/${conversationId}/messages?limit=${KEPT_MESSAGES}`;
  snapshots.save(path, { results, next: record.next, stream });
}

/** A store change: rewrite the copy it touches (soon, once per burst). */
export function keepCopy({ kind, id }) {
  if (kind === "plan") later(`plan:${id}`, () => savePlan(id));
  else if (kind === "messages") later(`messages:${id}`, () => saveMessages(id));
}
