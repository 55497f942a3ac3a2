// Applying an event frame to the store: each domain module declares reducers by event name
// (like the server's EVENT_TYPES); this module runs the ones registered for the frame's event.
// A reducer changes the store and reports what changed (for the screens) and what it needs
// (fetch a resource it does not hold, stop following a topic) — it never calls the network.

import * as accounts from "./accounts.js";
import * as chat from "./chat.js";
import * as checklists from "./checklists.js";
import * as groups from "./groups.js";
import * as money from "./money.js";
import * as notifications from "./notifications.js";
import * as plans from "./plans.js";
import * as polls from "./polls.js";
import { parseTopic } from "./store.js";

const REDUCERS = new Map();
for (const domain of [accounts, groups, plans, chat, notifications, polls, checklists, money]) {
  for (const [name, reducer] of Object.entries(domain.reducers)) {
    if (!REDUCERS.has(name)) REDUCERS.set(name, []);
    REDUCERS.get(name).push(reducer);
  }
}

/** A reducer context: the store, the signed-in user's id, and the two outboxes. */
export function context(store, topic = null) {
  const result = { changes: [], effects: [] };
  return {
    store,
    me: store.me ? store.me.id : null,
    topic: topic ? parseTopic(topic) : null,
    result,
    changed: (kind, id = null) => result.changes.push({ kind, id }),
    need: (effect) => result.effects.push(effect),
  };
}

/** Apply one event frame; answers {changes: [{kind, id}], effects: [{type, ...}]}. */
export function applyEvent(store, frame) {
  const ctx = context(store, frame.topic);
  for (const reducer of REDUCERS.get(frame.event) || []) reducer(ctx, frame);
  return ctx.result;
}

/** Access to a topic is gone (removed from the group, plan or group deleted). */
export function forgetTopic(store, topic) {
  const ctx = context(store, topic);
  const { kind, id } = ctx.topic;
  ctx.need({ type: "unfollow", topic });
  if (kind === "plan") plans.forgetPlan(ctx, id);
  else if (kind === "group") groups.forgetGroup(ctx, id);
  ctx.changed("all");
  return ctx.result;
}

export const knownEvents = () => [...REDUCERS.keys()];
