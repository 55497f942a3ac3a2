// Groups: group records and member lists, kept up to date by group.* events on the group's
// topic; the user's own topic says when they join or leave a group. Pure: no DOM, no network.

import { forgetConversationOfGroup } from "./chat.js";
import { forgetPlan } from "./plans.js";
import { groupTopic } from "./store.js";

export function installGroup(store, group) {
  const record = { data: group, seq: group.stream.seq };
  store.groups.set(group.id, record);
  return record;
}

export function installMembers(store, groupId, list) {
  const record = {
    items: new Map(list.results.map((member) => [member.user.id, member])),
    seq: list.stream.seq,
  };
  store.members.set(groupId, record);
  return record;
}

/** Access to the group is gone: drop it with its members, chat and plans. */
export function forgetGroup(ctx, groupId) {
  const { store } = ctx;
  ctx.need({ type: "unfollow", topic: groupTopic(groupId) });
  store.groups.delete(groupId);
  store.members.delete(groupId);
  forgetConversationOfGroup(ctx, groupId);
  for (const record of [...store.plans.values()]) {
    if (record.data.group === groupId) forgetPlan(ctx, record.data.id);
  }
  ctx.changed("group-removed", groupId);
  ctx.changed("all");
}

/** A group-topic event: `group` updates the group's summary, `members` its member list. */
function onGroupTopic({ group = null, members = null }) {
  return (ctx, frame) => {
    const { store, topic } = ctx;
    if (topic.kind !== "group") return;
    const record = store.groups.get(topic.id);
    if (group && record && frame.seq > record.seq) {
      record.seq = frame.seq;
      group(record.data, frame.data, ctx);
      ctx.changed("group", topic.id);
    }
    const list = store.members.get(topic.id);
    if (members && list && frame.seq > list.seq) {
      list.seq = frame.seq;
      members(list.items, frame.data);
      ctx.changed("members", topic.id);
    }
  };
}

/** The same event on the user's own topic: about this user joining or leaving. */
function onUserTopic(apply) {
  return (ctx, frame) => {
    if (ctx.topic.kind === "user") apply(ctx, frame.data);
  };
}

function both(...handlers) {
  return (ctx, frame) => handlers.forEach((handler) => handler(ctx, frame));
}

export const reducers = {
  "group.updated": onGroupTopic({
    group: (group, data) => {
      const { name, description, owner } = data.group;
      Object.assign(group, { name, description, owner });
    },
  }),
  "group.member_added": both(
    onGroupTopic({
      group: (group) => (group.member_count += 1),
      members: (items, data) => items.set(data.member.user.id, data.member),
    }),
    onUserTopic((ctx, data) => {
      if (data.member.user.id === ctx.me && !ctx.store.groups.has(data.group.id)) {
        ctx.need({ type: "load-group", id: data.group.id });
      }
    }),
  ),
  "group.member_removed": both(
    onGroupTopic({
      group: (group) => (group.member_count = Math.max(0, group.member_count - 1)),
      members: (items, data) => items.delete(data.user_id),
    }),
    onUserTopic((ctx, data) => {
      if (data.user_id === ctx.me) forgetGroup(ctx, data.group_id);
    }),
  ),
  "group.member_role_changed": onGroupTopic({
    group: (group, data, ctx) => {
      if (data.user_id === ctx.me) group.my_role = data.role;
    },
    members: (items, data) => {
      const member = items.get(data.user_id);
      if (member) member.role = data.role;
    },
  }),
  "group.deleted": (ctx, frame) => {
    if (ctx.topic.kind === "group") forgetGroup(ctx, ctx.topic.id);
    else if (ctx.topic.kind === "user") forgetGroup(ctx, frame.data.group_id);
  },
};
