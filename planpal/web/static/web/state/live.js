// The store kept live: the one realtime connection, REST loaders that install snapshots and
// follow their topics, and the runner of what reducers need (fetch, unfollow).
//
// A snapshot installed while its topic is already followed is caught up from the client's recent
// events; a topic answered with `recovered: false` is reloaded over REST.

import { api } from "../api.js";
import { RealtimeClient } from "../realtime.js";
import * as accounts from "./accounts.js";
import * as chat from "./chat.js";
import * as checklists from "./checklists.js";
import * as groups from "./groups.js";
import * as money from "./money.js";
import * as plans from "./plans.js";
import * as polls from "./polls.js";
import { applyEvent, context, forgetTopic as forget } from "./reduce.js";
import { announce, changed, conversationOfGroup, parseTopic, resetStore, store } from "./store.js";

export const rt = new RealtimeClient();

// ---------------------------------------------------------------------------- applying
function settle({ changes, effects }) {
  for (const effect of effects) runEffect(effect);
  announce(changes);
}

export function dispatch(frame) {
  settle(applyEvent(store, frame));
}

export function forgetTopic(topic) {
  settle(forget(store, topic));
}

const quietly = (promise) => promise.catch(() => {});

function runEffect(effect) {
  if (effect.type === "unfollow") rt.unfollow(effect.topic);
  else if (effect.type === "load-plan") quietly(loadPlanSummary(effect.id));
  else if (effect.type === "load-group") quietly(loadJoinedGroup(effect.id));
  else if (effect.type === "load-conversation") quietly(loadConversation(effect.id));
  else if (effect.type === "load-poll") quietly(loadPoll(effect.id));
}

/** Follow a snapshot's topic from its seq, or catch it up if the topic is followed already. */
function track(stream) {
  if (!rt.isFollowing(stream.topic)) {
    rt.follow(stream.topic, stream.seq);
    return;
  }
  const frames = rt.recentEvents(stream.topic, stream.seq);
  if (frames === null)
    reloadTopic(stream.topic); // no longer all held: take a fresh snapshot
  else frames.forEach(dispatch);
}

rt.addEventListener("event", (event) => dispatch(event.detail.frame));
rt.addEventListener("reset", (event) => reloadTopic(event.detail.topic));
rt.addEventListener("revoked", (event) => forgetTopic(event.detail.topic));
rt.addEventListener("typing", (event) => {
  const ctx = context(store);
  ctx.changed = changed; // typing expires on a timer, after this call has returned
  chat.noteTyping(ctx, event.detail.frame);
});

// ---------------------------------------------------------------------------- loading
/** Every item of a cursor-paginated list, following its `next` links. */
export async function allPages(path) {
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
  const [groupList, planList, conversationList, unread] = await Promise.all([
    allPages("groups?limit=200"),
    allPages("plans?limit=200"),
    allPages("conversations?limit=200"),
    api.get("notifications/unread-count"),
  ]);
  // Replace the lists, but keep what screens hold beyond them (a plan's activities).
  const previousPlans = new Map(store.plans);
  for (const map of [store.groups, store.plans, store.conversations]) map.clear();
  const since = new Map(); // topic → the oldest seq any snapshot of it reflects
  const note = (stream) =>
    since.set(stream.topic, Math.min(since.get(stream.topic) ?? Infinity, stream.seq));
  groupList.forEach((group) => note(groups.installGroup(store, group).data.stream));
  for (const plan of planList) {
    if (previousPlans.has(plan.id)) store.plans.set(plan.id, previousPlans.get(plan.id));
    note(plans.installPlan(store, plan).data.stream);
  }
  conversationList.forEach((item) => note(chat.installConversation(store, item).data.stream));
  store.notifications.count = unread.count;
  store.notifications.seq = unread.stream.seq;
  note(unread.stream);
  for (const [topic, seq] of since) track({ topic, seq });
  store.loaded = true;
  changed("all");
}

function installPlan(plan, options) {
  const record = plans.installPlan(store, plan, options);
  track(plan.stream);
  changed("plan", plan.id);
  return record;
}

/** A plan with its activities (the plan screen). */
export async function loadPlan(planId) {
  return installPlan(await api.get(`plans/${planId}`), { withActivities: true });
}

async function loadPlanSummary(planId) {
  return installPlan(await api.get(`plans/${planId}`));
}

export async function loadGroup(groupId) {
  const group = await api.get(`groups/${groupId}`);
  groups.installGroup(store, group);
  if (group.conversation) await loadConversation(group.conversation);
  track(group.stream);
  changed("group", group.id);
}

/** A group this user was just added to, with its plans. */
async function loadJoinedGroup(groupId) {
  await loadGroup(groupId);
  const list = await allPages(`plans?group=${groupId}`);
  list.forEach((plan) => installPlan(plan));
}

export async function loadConversation(conversationId) {
  const conversation = await api.get(`conversations/${conversationId}`);
  chat.installConversation(store, conversation);
  track(conversation.stream);
  changed("conversation", conversation.id);
  return store.conversations.get(conversation.id);
}

export async function loadMessages(conversationId) {
  const page = await api.get(`conversations/${conversationId}/messages?limit=50`);
  const record = chat.installMessages(store, conversationId, page);
  track(page.stream);
  changed("messages", conversationId);
  return record;
}

export async function loadEarlierMessages(conversationId) {
  const record = store.messages.get(conversationId);
  if (!record || !record.next) return;
  chat.installEarlierMessages(record, await api.get(record.next.replace(/^https?:\/\/[^/]+/, "")));
  changed("messages", conversationId);
}

export async function loadMembers(groupId) {
  const list = await api.get(`groups/${groupId}/members`);
  groups.installMembers(store, groupId, list);
  track(list.stream);
  changed("members", groupId);
}

export async function loadFriends() {
  const list = await api.get("friends");
  accounts.installFriends(store, list);
  track(list.stream);
  changed("friends");
  return store.friends;
}

export async function loadNotifications() {
  // A notification event that arrives while the list is being fetched may be missing from the
  // answer, which replaces the list: ask again then (the row is written before its event is
  // sent, so a list asked for after the event holds it). At most three tries.
  let page;
  for (let tries = 0; tries < 3; tries += 1) {
    const seq = store.notifications.seq;
    page = await api.get("notifications?limit=20");
    if (store.notifications.seq === seq) break;
  }
  store.notifications.items = new Map(page.results.map((item) => [item.id, item]));
  store.notifications.next = page.next;
  changed("notifications");
}

/** The polls of a place: "group:3" or "plan:10". */
export async function loadPolls(place) {
  const [kind, id] = place.split(":");
  const list =
    kind === "group" ? await api.get(`groups/${id}/polls`) : await api.get(`plans/${id}/polls`);
  polls.installPolls(store, list);
  track(list.stream);
  changed("polls", place);
}

async function loadPoll(pollId) {
  const poll = polls.installPoll(store, await api.get(`polls/${pollId}`));
  changed("polls", polls.placeOf(poll));
}

/** A plan's shared checklists (plan topic) and mine (my user topic). */
export async function loadChecklists(planId) {
  const list = await api.get(`plans/${planId}/checklists`);
  checklists.installChecklists(store, list);
  track(list.stream);
  track(list.personal_stream);
  changed("checklists", planId);
}

/** A plan's budget, expenses, payments and balances (the Budget tab), then follow them. */
export async function loadMoney(planId) {
  const [budget, expenses, settlements, balances] = await Promise.all([
    api.get(`plans/${planId}/budget`),
    api.get(`plans/${planId}/expenses`),
    api.get(`plans/${planId}/settlements`),
    api.get(`plans/${planId}/balances`),
  ]);
  money.installBudget(store, planId, budget);
  money.installList(store, planId, "expenses", expenses);
  money.installList(store, planId, "settlements", settlements);
  money.installBalances(store, planId, balances);
  for (const answer of [budget, expenses, settlements, balances]) track(answer.stream);
  changed("money", planId);
  return store.money.get(planId);
}

/** `recovered: false`: the server could not replay; take fresh snapshots of the topic. */
async function reloadTopic(topic) {
  const { kind, id } = parseTopic(topic);
  try {
    if (kind === "plan" && store.plans.has(id)) {
      const record = store.plans.get(id);
      installPlan(await api.get(`plans/${id}`), { withActivities: record.activities !== null });
      if (polls.pollsOf(store, topic).length) await loadPolls(topic);
      if (checklists.checklistsOf(store, id).length) await loadChecklists(id);
      if (store.money.has(id)) await loadMoney(id); // a newer snapshot replaces the lists
    } else if (kind === "group") {
      await reloadGroup(id);
      if (polls.pollsOf(store, topic).length) await loadPolls(topic);
    } else if (kind === "user") {
      await loadAll();
      if (store.friends) await loadFriends();
      if (store.notifications.items) await loadNotifications();
    }
  } catch (error) {
    if (error.status === 404 || error.status === 403) forgetTopic(topic);
  }
}

async function reloadGroup(groupId) {
  await loadGroup(groupId);
  const conversation = conversationOfGroup(store, groupId);
  if (conversation && store.messages.has(conversation.data.id)) {
    await loadMessages(conversation.data.id);
  }
  if (store.members.has(groupId)) await loadMembers(groupId);
}

/** Signed out: stop the connection and empty the store. */
export function endSession() {
  rt.stop();
  resetStore(store);
}
