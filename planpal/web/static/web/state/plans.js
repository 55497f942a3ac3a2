// Plans: plan records and their activities, installed from REST snapshots and kept up to date
// by plan.* events (docs/realtime.md). Pure: no DOM, no network.

import { planTopic } from "./store.js";

/** Activities in the order the itinerary shows them, the server's: custom position, then start,
 *  then id (a sort comparator). */
export const byCustomOrder = (a, b) =>
  a.position - b.position || String(a.starts_at).localeCompare(String(b.starts_at)) || a.id - b.id;

/** Put a REST snapshot of a plan into the store (keeping activities the list does not carry). */
export function installPlan(store, plan, { withActivities = false } = {}) {
  const seq = plan.stream.seq;
  const record = store.plans.get(plan.id) || { data: plan, seq, activities: null, actSeq: 0 };
  record.data = plan;
  record.seq = seq;
  if (withActivities) {
    record.activities = new Map(plan.activities.map((activity) => [activity.id, activity]));
    record.actSeq = seq;
  }
  store.plans.set(plan.id, record);
  return record;
}

export function forgetPlan(ctx, planId) {
  if (!ctx.store.plans.delete(planId)) return;
  ctx.need({ type: "unfollow", topic: planTopic(planId) });
  ctx.changed("plan-deleted", planId);
}

/** Apply a plan:<id> frame to the plan (seq newer than the snapshot) and/or its activities. */
function onPlanTopic(apply, applyActivities = null) {
  return (ctx, frame) => {
    if (ctx.topic.kind !== "plan") return;
    const record = ctx.store.plans.get(ctx.topic.id);
    if (!record) return;
    let touched = false;
    if (apply && frame.seq > record.seq) {
      record.seq = frame.seq;
      apply(record, frame.data, ctx);
      touched = true;
    }
    if (applyActivities && record.activities !== null && frame.seq > record.actSeq) {
      record.actSeq = frame.seq;
      applyActivities(record.activities, frame.data);
      touched = true;
    }
    if (touched && ctx.store.plans.has(record.data.id)) ctx.changed("plan", record.data.id);
  };
}

const setActivity = (activities, data) => activities.set(data.id, data);
const countActivity = (step) => (record) => {
  record.data.activity_count = Math.max(0, record.data.activity_count + step);
};
const nothing = () => {};

function reorder(activities, data) {
  data.order.forEach((id, position) => {
    const activity = activities.get(id);
    if (activity) {
      const version = data.versions[String(id)] ?? activity.version;
      activities.set(id, { ...activity, position, version });
    }
  });
}

/** plan.created / member_joined on a list topic (group or user): fetch a plan we do not know. */
function fetchNewPlan(idOf, mine = () => true) {
  return (ctx, frame) => {
    if (ctx.topic.kind === "plan") return;
    const id = idOf(frame.data);
    if (!ctx.store.plans.has(id) && mine(ctx, frame.data)) ctx.need({ type: "load-plan", id });
  };
}

/** A personal plan's participants (a group plan's people are its group's members). */
const participants = (change) => (record, data) => {
  if (record.data.group) return;
  const others = (record.data.participants || []).filter(
    (user) => user.id !== (data.user?.id ?? data.user_id),
  );
  record.data = { ...record.data, participants: change(others, data) };
};

export const reducers = {
  "plan.created": fetchNewPlan((data) => data.id),
  "plan.member_joined": (ctx, frame) => {
    fetchNewPlan(
      (data) => data.plan_id,
      (ctx, data) => data.user.id === ctx.me,
    )(ctx, frame);
    onPlanTopic(participants((others, data) => [...others, data.user]))(ctx, frame);
  },
  "plan.member_left": onPlanTopic(participants((others) => others)),
  "plan.updated": onPlanTopic((record, data) => {
    const { can_manage, activity_count, stream } = record.data;
    record.data = { ...record.data, ...data, can_manage, activity_count, stream };
  }),
  "plan.status_changed": onPlanTopic((record, data) => {
    Object.assign(record.data, {
      status: data.to,
      status_changed_at: data.status_changed_at,
      version: data.version,
    });
  }),
  "plan.deleted": (ctx) => {
    if (ctx.topic.kind === "plan") forgetPlan(ctx, ctx.topic.id);
  },
  "plan.activity_created": onPlanTopic(countActivity(1), setActivity),
  "plan.activity_updated": onPlanTopic(nothing, setActivity),
  "plan.activity_completed": onPlanTopic(nothing, setActivity),
  "plan.activity_reopened": onPlanTopic(nothing, setActivity),
  "plan.activity_deleted": onPlanTopic(countActivity(-1), (activities, data) =>
    activities.delete(data.activity_id),
  ),
  "plan.activity_reordered": onPlanTopic(nothing, reorder),
};
