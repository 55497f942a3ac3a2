// The client's copy of the server state, kept live by realtime events.
//
// Every resource loaded over REST remembers the seq of its topic that its snapshot reflects
// (`stream.seq`). An event is applied to a resource only when its seq is newer, so replays,
// duplicates and snapshots that overlap live events never apply a change twice. A snapshot
// installed while its topic is already followed is caught up from the client's recent events;
// a topic answered with `recovered: false` is reloaded over REST.

import { api } from "./api.js";
import { RealtimeClient } from "./realtime.js";

export const rt = new RealtimeClient();
export const changes = new EventTarget();

export const store = {
  me: null,
  groups: new Map(), // id → {data, seq}
  plans: new Map(), // id → {data, seq, activities: Map|null, actSeq}
  conversations: new Map(), // id → {data, seq}
  messages: new Map(), // conversation id → {items: Map, pending: Map, seq, next}
  members: new Map(), // group id → {items: Map(user id → member), seq}
  notifications: { count: 0, seq: 0, items: null, next: null },
  typing: new Map(), // topic → Map(user id → timer)
  openConversation: null, // the conversation on screen (its messages count as read)
  openPlan: null, // the plan on screen
  loaded: false,
};

function changed(kind, id = null) {
  changes.dispatchEvent(new CustomEvent("change", { detail: { kind, id } }));
}

export function onChange(listener) {
  const handler = (event) => listener(event.detail);
  changes.addEventListener("change", handler);
  return () => changes.removeEventListener("change", handler);
}

const topicId = (topic) => Number(topic.split(":")[1]);
export const groupTopic = (id) => `group:${id}`;
export const planTopic = (id) => `plan:${id}`;

export function conversationOfGroup(groupId) {
  for (const conversation of store.conversations.values()) {
    if (conversation.data.group === groupId) return conversation;
  }
  return null;
}

// ---------------------------------------------------------------------------- loading
async function allPages(path) {
  const results = [];
  let url = path;
  while (url) {
    const page = await api.get(url);
    results.push(...page.results);
    url = page.next ? page.next.replace(/^https?:\/\/[^/]+/, "") : null;
  }
  return results;
}

/** Load everything the home screen and the header need, then follow their topics. */
export async function loadAll() {
  const [groups, plans, conversations, unread] = await Promise.all([
    allPages("groups?limit=200"),
    allPages("plans?limit=200"),
    allPages("conversations?limit=200"),
    api.get("notifications/unread-count"),
  ]);
  // Replace the lists, but keep what screens hold beyond them (a plan's activities).
  const previousPlans = new Map(store.plans);
  store.groups.clear();
  store.plans.clear();
  store.conversations.clear();
  const since = new Map(); // topic → the oldest seq any snapshot of it reflects
  const note = (stream) =>
    since.set(stream.topic, Math.min(since.get(stream.topic) ?? Infinity, stream.seq));
  for (const group of groups) {
    store.groups.set(group.id, { data: group, seq: group.stream.seq });
    note(group.stream);
  }
  for (const plan of plans) {
    const record = previousPlans.get(plan.id) || { activities: null, actSeq: 0 };
    Object.assign(record, { data: plan, seq: plan.stream.seq });
    store.plans.set(plan.id, record);
    note(plan.stream);
  }
  for (const conversation of conversations) {
    if (conversation.kind !== "group") continue; // direct chats are not part of this client yet
    store.conversations.set(conversation.id, { data: conversation, seq: conversation.stream.seq });
    note(conversation.stream);
  }
  store.notifications.count = unread.count;
  store.notifications.seq = unread.stream.seq;
  note(unread.stream);
  for (const [topic, seq] of since) {
    if (rt.isFollowing(topic)) catchUp(topic, seq);
    else rt.follow(topic, seq);
  }
  store.loaded = true;
  changed("all");
}

/** Apply what the client already received of a topic to resources installed just now. */
function catchUp(topic, after = 0) {
  if (!rt.isFollowing(topic)) return;
  const frames = rt.recentEvents(topic, after);
  if (frames === null) {
    reloadTopic(topic); // no longer all held: the REST snapshot is the way back
    return;
  }
  for (const frame of frames) applyEvent(frame);
}

function installPlan(plan, { withActivities = false } = {}) {
  const seq = plan.stream.seq;
  const previous = store.plans.get(plan.id);
  const record = previous || { data: plan, seq, activities: null, actSeq: 0 };
  record.data = plan;
  record.seq = seq;
  if (withActivities) {
    record.activities = new Map(plan.activities.map((activity) => [activity.id, activity]));
    record.actSeq = seq;
  }
  store.plans.set(plan.id, record);
  if (rt.isFollowing(plan.stream.topic)) catchUp(plan.stream.topic, seq);
  else rt.follow(plan.stream.topic, seq);
  changed("plan", plan.id);
  return record;
}

export async function loadPlan(planId) {
  const plan = await api.get(`plans/${planId}`);
  return installPlan(plan, { withActivities: true });
}

export async function loadGroup(groupId) {
  const group = await api.get(`groups/${groupId}`);
  store.groups.set(group.id, { data: group, seq: group.stream.seq });
  if (group.conversation) await loadConversation(group.conversation);
  if (rt.isFollowing(group.stream.topic)) catchUp(group.stream.topic, group.stream.seq);
  else rt.follow(group.stream.topic, group.stream.seq);
  changed("group", group.id);
}

async function loadConversation(conversationId) {
  const conversation = await api.get(`conversations/${conversationId}`);
  store.conversations.set(conversation.id, { data: conversation, seq: conversation.stream.seq });
  catchUp(conversation.stream.topic, conversation.stream.seq);
  changed("conversation", conversation.id);
}

export async function loadMessages(conversationId) {
  const page = await api.get(`conversations/${conversationId}/messages?limit=50`);
  const previous = store.messages.get(conversationId);
  const items = new Map(page.results.reverse().map((message) => [message.id, message]));
  const record = {
    items,
    pending: previous ? previous.pending : new Map(),
    seq: page.stream.seq,
    next: page.next,
  };
  store.messages.set(conversationId, record);
  for (const message of items.values()) settlePending(record, message);
  catchUp(page.stream.topic, page.stream.seq);
  changed("messages", conversationId);
  return record;
}

export async function loadEarlierMessages(conversationId) {
  const record = store.messages.get(conversationId);
  if (!record || !record.next) return;
  const page = await api.get(record.next.replace(/^https?:\/\/[^/]+/, ""));
  const older = page.results.reverse().filter((message) => !record.items.has(message.id));
  record.items = new Map([...older.map((m) => [m.id, m]), ...record.items]);
  record.next = page.next;
  changed("messages", conversationId);
}

export async function loadMembers(groupId) {
  const list = await api.get(`groups/${groupId}/members`);
  store.members.set(groupId, {
    items: new Map(list.results.map((member) => [member.user.id, member])),
    seq: list.stream.seq,
  });
  catchUp(list.stream.topic, list.stream.seq);
  changed("members", groupId);
}

export async function loadNotifications() {
  const page = await api.get("notifications?limit=20");
  store.notifications.items = new Map(page.results.map((item) => [item.id, item]));
  store.notifications.next = page.next;
  changed("notifications");
}

async function refreshUnreadCount() {
  const unread = await api.get("notifications/unread-count");
  store.notifications.count = unread.count;
  store.notifications.seq = Math.max(store.notifications.seq, unread.stream.seq);
  changed("notifications");
}

/** `recovered: false`: the server could not replay; take fresh snapshots of the topic. */
async function reloadTopic(topic) {
  try {
    if (topic.startsWith("plan:")) {
      const record = store.plans.get(topicId(topic));
      if (!record) return;
      const plan = await api.get(`plans/${record.data.id}`);
      installPlan(plan, { withActivities: record.activities !== null });
    } else if (topic.startsWith("group:")) {
      const groupId = topicId(topic);
      await loadGroup(groupId);
      const conversation = conversationOfGroup(groupId);
      if (conversation && store.messages.has(conversation.data.id)) {
        await loadMessages(conversation.data.id);
      }
      if (store.members.has(groupId)) await loadMembers(groupId);
    } else if (topic.startsWith("user:")) {
      await loadAll();
      if (store.notifications.items) await loadNotifications();
    }
  } catch (error) {
    if (error.status === 404 || error.status === 403) forgetTopic(topic);
  }
}

// ---------------------------------------------------------------------------- live events
rt.addEventListener("event", (event) => applyEvent(event.detail.frame));
rt.addEventListener("reset", (event) => reloadTopic(event.detail.topic));
rt.addEventListener("revoked", (event) => forgetTopic(event.detail.topic));
rt.addEventListener("typing", (event) => noteTyping(event.detail.frame));

export function applyEvent(frame) {
  const prefix = frame.topic.split(":")[0];
  if (prefix === "plan") applyPlanEvent(frame);
  else if (prefix === "group") applyGroupEvent(frame);
  else if (prefix === "user") applyUserEvent(frame);
}

const ACTIVITY_SNAPSHOT_EVENTS = new Set([
  "plan.activity_created",
  "plan.activity_updated",
  "plan.activity_completed",
  "plan.activity_reopened",
]);

function applyPlanEvent(frame) {
  const record = store.plans.get(topicId(frame.topic));
  if (!record) return;
  const { event, data, seq } = frame;
  const toPlan = seq > record.seq;
  const toActivities = record.activities !== null && seq > record.actSeq;
  if (!toPlan && !toActivities) return;
  if (event === "plan.deleted") {
    forgetPlan(record.data.id);
    changed("plan-deleted", record.data.id);
    return;
  }
  if (toPlan) {
    record.seq = seq;
    if (event === "plan.updated") {
      const { can_manage, activity_count, stream } = record.data;
      record.data = { ...record.data, ...data, can_manage, activity_count, stream };
    } else if (event === "plan.status_changed") {
      Object.assign(record.data, {
        status: data.to,
        status_changed_at: data.status_changed_at,
        version: data.version,
      });
    } else if (event === "plan.activity_created") {
      record.data.activity_count += 1;
    } else if (event === "plan.activity_deleted") {
      record.data.activity_count = Math.max(0, record.data.activity_count - 1);
    }
  }
  if (toActivities) {
    record.actSeq = seq;
    const activities = record.activities;
    if (ACTIVITY_SNAPSHOT_EVENTS.has(event)) activities.set(data.id, data);
    else if (event === "plan.activity_deleted") activities.delete(data.activity_id);
    else if (event === "plan.activity_reordered") {
      data.order.forEach((id, position) => {
        const activity = activities.get(id);
        if (activity) {
          activities.set(id, {
            ...activity,
            position,
            version: data.versions[String(id)] ?? activity.version,
          });
        }
      });
    }
  }
  changed("plan", record.data.id);
}

function applyGroupEvent(frame) {
  const groupId = topicId(frame.topic);
  const { event, data, seq } = frame;
  const me = store.me && store.me.id;
  const group = store.groups.get(groupId);
  if (group && seq > group.seq) {
    group.seq = seq;
    if (event === "group.updated") {
      Object.assign(group.data, {
        name: data.group.name,
        description: data.group.description,
        owner: data.group.owner,
      });
    } else if (event === "group.member_added") {
      group.data.member_count += 1;
    } else if (event === "group.member_removed") {
      group.data.member_count = Math.max(0, group.data.member_count - 1);
    } else if (event === "group.member_role_changed" && data.user_id === me) {
      group.data.my_role = data.role;
    } else if (event === "group.deleted") {
      forgetTopic(frame.topic);
      return;
    } else if (event === "plan.created" && !store.plans.has(data.id)) {
      api.get(`plans/${data.id}`).then(installPlan, () => {});
    }
    changed("group", groupId);
  }
  const members = store.members.get(groupId);
  if (members && seq > members.seq) {
    members.seq = seq;
    if (event === "group.member_added") members.items.set(data.member.user.id, data.member);
    if (event === "group.member_removed") members.items.delete(data.user_id);
    if (event === "group.member_role_changed") {
      const member = members.items.get(data.user_id);
      if (member) member.role = data.role;
    }
    changed("members", groupId);
  }
  if (event.startsWith("group.message") || event === "group.messages_read") {
    applyChatEvent(frame, data.conversation_id, me);
  }
}

function applyChatEvent(frame, conversationId, me) {
  const { event, data, seq } = frame;
  const conversation = store.conversations.get(conversationId);
  if (conversation && seq > conversation.seq) {
    conversation.seq = seq;
    const info = conversation.data;
    if (event === "group.message_sent") {
      info.last_message = data;
      info.last_message_at = data.created_at;
      const mine = data.sender && data.sender.id === me;
      if (!mine && store.openConversation !== conversationId) info.unread_count += 1;
    } else if (event === "group.messages_read" && data.user_id === me) {
      const lastId = info.last_message ? info.last_message.id : 0;
      info.last_read_message_id = data.last_read_message_id;
      if (data.last_read_message_id >= lastId) info.unread_count = 0;
      else loadConversation(conversationId).catch(() => {});
    } else if (event !== "group.messages_read" && info.last_message?.id === data.id) {
      info.last_message = data;
    }
    changed("conversation", conversationId);
  }
  const messages = store.messages.get(conversationId);
  if (messages && seq > messages.seq && event !== "group.messages_read") {
    messages.seq = seq;
    messages.items.set(data.id, data);
    settlePending(messages, data);
    if (event === "group.message_sent") stopTyping(frame.topic, data.sender && data.sender.id);
    changed("messages", conversationId);
  }
}

function applyUserEvent(frame) {
  const { event, data, seq } = frame;
  const notifications = store.notifications;
  if (seq > notifications.seq) {
    notifications.seq = seq;
    if (event === "notification.created" || event === "notification.updated") {
      // "updated": an unread notification folded in another (same id, higher count).
      const known = notifications.items && notifications.items.get(data.id);
      if (event === "notification.created" && !data.read_at) notifications.count += 1;
      if (notifications.items) {
        notifications.items.delete(data.id);
        notifications.items = new Map([[data.id, { ...known, ...data }], ...notifications.items]);
      }
      changed("notifications");
      changed("notification-created", data);
    } else if (event === "notification.read") {
      notifications.count = Math.max(0, notifications.count - data.ids.length);
      for (const id of data.ids) {
        const item = notifications.items && notifications.items.get(id);
        if (item) item.read_at = data.read_at;
      }
      changed("notifications");
    }
  }
  // Membership of groups and personal plans: fetch what is new, forget what is gone.
  const me = store.me && store.me.id;
  if (event === "group.member_added" && data.member.user.id === me) {
    if (!store.groups.has(data.group.id)) {
      loadGroup(data.group.id)
        .then(() => allPages(`plans?group=${data.group.id}`))
        .then((plans) => plans.forEach((plan) => installPlan(plan)))
        .catch(() => {});
    }
  } else if (event === "group.member_removed" && data.user_id === me) {
    forgetTopic(groupTopic(data.group_id));
  } else if (event === "group.deleted") {
    forgetTopic(groupTopic(data.group_id));
  } else if (
    (event === "plan.created" && !store.plans.has(data.id)) ||
    (event === "plan.member_joined" && data.user.id === me && !store.plans.has(data.plan_id))
  ) {
    api.get(`plans/${data.plan_id || data.id}`).then(installPlan, () => {});
  }
}

// ---------------------------------------------------------------------------- forgetting
function forgetPlan(planId) {
  store.plans.delete(planId);
  rt.unfollow(planTopic(planId));
}

/** Access to a topic is gone (removed from the group, plan or group deleted). */
export function forgetTopic(topic) {
  const id = topicId(topic);
  rt.unfollow(topic);
  if (topic.startsWith("plan:")) {
    if (store.plans.delete(id)) changed("plan-deleted", id);
  } else if (topic.startsWith("group:")) {
    store.groups.delete(id);
    store.members.delete(id);
    const conversation = conversationOfGroup(id);
    if (conversation) {
      store.conversations.delete(conversation.data.id);
      store.messages.delete(conversation.data.id);
    }
    for (const record of [...store.plans.values()]) {
      if (record.data.group === id) forgetPlan(record.data.id);
    }
    changed("group-removed", id);
  }
  changed("all");
}

// ---------------------------------------------------------------------------- chat helpers
function settlePending(record, message) {
  if (message.client_id && record.pending.has(message.client_id)) {
    record.pending.delete(message.client_id);
  }
}

const TYPING_SHOWN_MS = 3500;

function noteTyping(frame) {
  if (store.me && frame.user === store.me.id) return;
  const users = store.typing.get(frame.topic) || new Map();
  clearTimeout(users.get(frame.user));
  users.set(
    frame.user,
    setTimeout(() => stopTyping(frame.topic, frame.user), TYPING_SHOWN_MS),
  );
  store.typing.set(frame.topic, users);
  changed("typing", frame.topic);
}

function stopTyping(topic, userId) {
  const users = store.typing.get(topic);
  if (!users || !users.has(userId)) return;
  clearTimeout(users.get(userId));
  users.delete(userId);
  changed("typing", topic);
}

export function resetStore() {
  rt.stop();
  store.me = null;
  store.groups.clear();
  store.plans.clear();
  store.conversations.clear();
  store.messages.clear();
  store.members.clear();
  store.notifications = { count: 0, seq: 0, items: null, next: null };
  store.typing.clear();
  store.openConversation = null;
  store.openPlan = null;
  store.loaded = false;
}

export { refreshUnreadCount };
