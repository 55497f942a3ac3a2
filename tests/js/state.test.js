// The state reducers (planpal/web/static/web/state/) under Node's test runner: each domain's
// events change the store once (seq guard), report what changed, and ask for what they lack.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  installConversation,
  installMessages,
  quoteOf,
} from "../../planpal/web/static/web/state/chat.js";
import { installGroup, installMembers } from "../../planpal/web/static/web/state/groups.js";
import { installPlan } from "../../planpal/web/static/web/state/plans.js";
import { applyEvent, forgetTopic } from "../../planpal/web/static/web/state/reduce.js";
import { createStore } from "../../planpal/web/static/web/state/store.js";

const ME = 1;
const user = (id, name) => ({ id, username: name.toLowerCase(), display_name: name });
const frame = (topic, seq, event, data) => ({ type: "event", topic, seq, event, data });
const activity = (id, title, extra = {}) => ({
  id,
  title,
  version: 1,
  position: id,
  starts_at: `2026-12-0${id}T08:00:00Z`,
  ends_at: `2026-12-0${id}T09:00:00Z`,
  completed_at: null,
  ...extra,
});

function planSnapshot(seq, activities = [activity(1, "Coffee"), activity(2, "Market")]) {
  return {
    id: 10,
    group: 3,
    title: "Dalat weekend",
    status: "upcoming",
    version: 1,
    can_manage: true,
    activity_count: activities.length,
    stream: { topic: "plan:10", seq },
    activities,
  };
}

let store;
beforeEach(() => {
  store = createStore();
  store.me = user(ME, "Alice");
});

describe("plans", () => {
  it("applies each plan event once, however often it arrives", () => {
    installPlan(store, planSnapshot(4), { withActivities: true });
    const done = activity(1, "Coffee", { completed_at: "2026-12-01T08:30:00Z", version: 2 });
    const completed = frame("plan:10", 5, "plan.activity_completed", done);
    const first = applyEvent(store, completed);
    const again = applyEvent(store, completed);
    const record = store.plans.get(10);
    assert.equal(record.activities.get(1).completed_at, "2026-12-01T08:30:00Z");
    assert.deepEqual(first.changes, [{ kind: "plan", id: 10 }]);
    assert.deepEqual(again.changes, []);
  });

  it("ignores events the snapshot already reflects", () => {
    installPlan(store, planSnapshot(6), { withActivities: true });
    applyEvent(store, frame("plan:10", 6, "plan.activity_created", activity(3, "Lake")));
    assert.equal(store.plans.get(10).activities.has(3), false);
    assert.equal(store.plans.get(10).data.activity_count, 2);
  });

  it("keeps the count in the summary and the activities in step", () => {
    installPlan(store, planSnapshot(4), { withActivities: true });
    applyEvent(store, frame("plan:10", 5, "plan.activity_created", activity(3, "Lake")));
    applyEvent(store, frame("plan:10", 6, "plan.activity_deleted", { activity_id: 1 }));
    const record = store.plans.get(10);
    assert.deepEqual([...record.activities.keys()], [2, 3]);
    assert.equal(record.data.activity_count, 2);
  });

  it("reorders with the versions the event carries", () => {
    installPlan(store, planSnapshot(4), { withActivities: true });
    const data = { order: [2, 1], versions: { 1: 3, 2: 4 } };
    applyEvent(store, frame("plan:10", 5, "plan.activity_reordered", data));
    const { activities } = store.plans.get(10);
    assert.deepEqual(
      [activities.get(2).position, activities.get(2).version, activities.get(1).position],
      [0, 4, 1],
    );
  });

  it("keeps the viewer's own fields when the plan is updated", () => {
    installPlan(store, planSnapshot(4), { withActivities: true });
    const data = { id: 10, title: "Dalat long weekend", version: 2, can_manage: false };
    applyEvent(store, frame("plan:10", 5, "plan.updated", data));
    const plan = store.plans.get(10).data;
    assert.equal(plan.title, "Dalat long weekend");
    assert.equal(plan.can_manage, true, "can_manage is per viewer: the event cannot change it");
    assert.deepEqual(plan.stream, { topic: "plan:10", seq: 4 });
  });

  it("follows status changes", () => {
    installPlan(store, planSnapshot(4));
    const data = { plan_id: 10, from: "upcoming", to: "ongoing", version: 2 };
    applyEvent(store, frame("plan:10", 5, "plan.status_changed", data));
    assert.equal(store.plans.get(10).data.status, "ongoing");
  });

  it("forgets a deleted plan and stops following it", () => {
    installPlan(store, planSnapshot(4));
    const result = applyEvent(store, frame("plan:10", 5, "plan.deleted", { plan_id: 10 }));
    assert.equal(store.plans.has(10), false);
    assert.deepEqual(result.effects, [{ type: "unfollow", topic: "plan:10" }]);
    assert.deepEqual(result.changes, [{ kind: "plan-deleted", id: 10 }]);
  });

  it("asks for a plan it learns about on a list topic, once it is not held", () => {
    const created = frame("group:3", 9, "plan.created", { id: 11, title: "Hoi An" });
    assert.deepEqual(applyEvent(store, created).effects, [{ type: "load-plan", id: 11 }]);
    installPlan(store, { ...planSnapshot(1), id: 11 });
    assert.deepEqual(applyEvent(store, { ...created, seq: 10 }).effects, []);
    const joined = { plan_id: 12, user: user(2, "Bob") };
    assert.deepEqual(
      applyEvent(store, frame("user:1", 3, "plan.member_joined", joined)).effects,
      [],
    );
  });
});

describe("groups", () => {
  function withGroup() {
    const group = { id: 3, name: "Dalat trip", member_count: 2, my_role: "member" };
    installGroup(store, { ...group, conversation: 5, stream: { topic: "group:3", seq: 2 } });
    const members = [
      { user: user(ME, "Alice"), role: "member" },
      { user: user(2, "Bob"), role: "owner" },
    ];
    installMembers(store, 3, { results: members, stream: { topic: "group:3", seq: 2 } });
  }

  it("tracks members and roles on the group's topic", () => {
    withGroup();
    const carol = { user: user(4, "Carol"), role: "member" };
    applyEvent(
      store,
      frame("group:3", 3, "group.member_added", { group: { id: 3 }, member: carol }),
    );
    const promoted = { group_id: 3, user_id: ME, role: "admin" };
    applyEvent(store, frame("group:3", 4, "group.member_role_changed", promoted));
    assert.equal(store.groups.get(3).data.member_count, 3);
    assert.equal(store.groups.get(3).data.my_role, "admin");
    assert.equal(store.members.get(3).items.get(4).role, "member");
    assert.equal(store.members.get(3).items.get(ME).role, "admin");
  });

  it("loads a group this user was added to (from their own topic)", () => {
    const member = { user: user(ME, "Alice"), role: "member" };
    const added = frame("user:1", 8, "group.member_added", { group: { id: 6 }, member });
    assert.deepEqual(applyEvent(store, added).effects, [{ type: "load-group", id: 6 }]);
  });

  it("forgets a group this user left, with its chat and plans", () => {
    withGroup();
    installPlan(store, planSnapshot(4));
    const conversation = { id: 5, group: 3, kind: "group", unread_count: 0 };
    installConversation(store, { ...conversation, stream: { topic: "group:3", seq: 2 } });
    const removed = frame("user:1", 9, "group.member_removed", { group_id: 3, user_id: ME });
    const result = applyEvent(store, removed);
    assert.equal(store.groups.size + store.plans.size + store.conversations.size, 0);
    assert.deepEqual(
      result.effects.map((effect) => effect.topic),
      ["group:3", "plan:10"],
    );
  });

  it("forgets what a revoked topic gave access to", () => {
    withGroup();
    const result = forgetTopic(store, "group:3");
    assert.equal(store.groups.has(3), false);
    assert.ok(result.changes.some((change) => change.kind === "group-removed" && change.id === 3));
  });
});

describe("chat", () => {
  function withConversation({ open = false } = {}) {
    const conversation = { id: 5, group: 3, kind: "group", unread_count: 0, last_message: null };
    installConversation(store, { ...conversation, stream: { topic: "group:3", seq: 2 } });
    installMessages(store, 5, { results: [], next: null, stream: { topic: "group:3", seq: 2 } });
    if (open) store.openConversation = 5;
  }
  const message = (id, sender, extra = {}) => ({
    id,
    conversation_id: 5,
    sender,
    text: `message ${id}`,
    kind: "text",
    created_at: "2026-12-01T08:00:00Z",
    ...extra,
  });

  it("counts messages from others as unread unless the chat is on screen", () => {
    withConversation();
    applyEvent(store, frame("group:3", 3, "group.message_sent", message(20, user(2, "Bob"))));
    applyEvent(store, frame("group:3", 4, "group.message_sent", message(21, user(ME, "Alice"))));
    assert.equal(store.conversations.get(5).data.unread_count, 1);
    store.openConversation = 5;
    applyEvent(store, frame("group:3", 5, "group.message_sent", message(22, user(2, "Bob"))));
    assert.equal(store.conversations.get(5).data.unread_count, 1);
    assert.equal(store.conversations.get(5).data.last_message.id, 22);
  });

  it("clears unread when this user read up to the last message elsewhere", () => {
    withConversation();
    applyEvent(store, frame("group:3", 3, "group.message_sent", message(20, user(2, "Bob"))));
    const read = { conversation_id: 5, user_id: ME, last_read_message_id: 20 };
    applyEvent(store, frame("group:3", 4, "group.messages_read", read));
    assert.equal(store.conversations.get(5).data.unread_count, 0);
  });

  it("settles a message being sent when its event comes back with the same client_id", () => {
    withConversation({ open: true });
    store.messages.get(5).pending.set("c-1", { client_id: "c-1", status: "sending" });
    const sent = message(20, user(ME, "Alice"), { client_id: "c-1" });
    const result = applyEvent(store, frame("group:3", 3, "group.message_sent", sent));
    assert.equal(store.messages.get(5).pending.size, 0);
    assert.equal(store.messages.get(5).items.get(20).text, "message 20");
    assert.ok(result.changes.some((change) => change.kind === "messages"));
  });

  it("shows edits and deletions in the log and the summary", () => {
    withConversation();
    applyEvent(store, frame("group:3", 3, "group.message_sent", message(20, user(2, "Bob"))));
    const edited = message(20, user(2, "Bob"), { text: "fixed", edited_at: "2026-12-01T08:01Z" });
    applyEvent(store, frame("group:3", 4, "group.message_edited", edited));
    assert.equal(store.messages.get(5).items.get(20).text, "fixed");
    assert.equal(store.conversations.get(5).data.last_message.text, "fixed");
  });

  const photo = { id: 7, kind: "image", content_type: "image/png", name: "beach.png", size: 90 };
  const place = { kind: "location", lat: 38.7, lng: -9.14, location_name: "Pier", text: "" };

  it("quotes a photo by its name and a place by its name, like the server", () => {
    const bob = user(2, "Bob");
    assert.equal(quoteOf(message(20, bob, { text: "", attachment: photo })).text, "beach.png");
    assert.equal(quoteOf(message(21, bob, place)).text, "Pier");
    assert.equal(quoteOf(message(22, bob, { text: "x".repeat(200) })).text.length, 140);
  });

  it("updates the quotes of replies when their original is edited or deleted", () => {
    withConversation({ open: true });
    const bob = user(2, "Bob");
    const original = message(20, bob, { text: "Where?" });
    const reply = message(21, user(ME, "Alice"), {
      reply_to: 20,
      reply_summary: quoteOf(original),
    });
    applyEvent(store, frame("group:3", 3, "group.message_sent", original));
    applyEvent(store, frame("group:3", 4, "group.message_sent", reply));
    const edited = { ...original, text: "Where exactly?", edited_at: "2026-12-01T08:01Z" };
    applyEvent(store, frame("group:3", 5, "group.message_edited", edited));
    assert.equal(store.messages.get(5).items.get(21).reply_summary.text, "Where exactly?");
    const deleted = { ...edited, text: "", deleted_at: "2026-12-01T08:02Z" };
    const result = applyEvent(store, frame("group:3", 6, "group.message_deleted", deleted));
    assert.deepEqual(store.messages.get(5).items.get(21).reply_summary, {
      id: 20,
      sender: bob,
      kind: "text",
      text: "",
      deleted: true,
    });
    assert.ok(result.changes.some((change) => change.kind === "messages"));
  });
});

describe("notifications", () => {
  it("counts new unread notifications once and lowers the count when read", () => {
    store.notifications.seq = 10;
    const item = { id: 30, title: "New plan", read_at: null };
    applyEvent(store, frame("user:1", 11, "notification.created", item));
    applyEvent(store, frame("user:1", 11, "notification.created", item));
    applyEvent(store, frame("user:1", 12, "notification.created", { ...item, id: 31 }));
    assert.equal(store.notifications.count, 2);
    const read = { ids: [30], read_at: "2026-12-01T08:00:00Z" };
    applyEvent(store, frame("user:1", 13, "notification.read", read));
    assert.equal(store.notifications.count, 1);
  });

  it("moves a folded notification to the top of the loaded list", () => {
    store.notifications.items = new Map([
      [31, { id: 31, title: "b" }],
      [30, { id: 30, title: "a", count: 1 }],
    ]);
    const folded = { id: 30, title: "a", count: 2, read_at: null };
    applyEvent(store, frame("user:1", 1, "notification.updated", folded));
    assert.deepEqual([...store.notifications.items.keys()], [30, 31]);
    assert.equal(store.notifications.items.get(30).count, 2);
    assert.equal(store.notifications.count, 0, "an update is not a new notification");
  });
});

describe("friends (accounts)", () => {
  const list = (results) => ({ results, stream: { topic: "user:1", seq: 5 } });

  it("follows requests both ways, acceptance, blocks and removals", async () => {
    const { installFriends, friendsWith } =
      await import("../../planpal/web/static/web/state/accounts.js");
    installFriends(store, list([]));
    const bob = user(2, "Bob");
    const cat = user(3, "Cat");
    applyEvent(
      store,
      frame("user:1", 6, "friend.requested", { requester: bob, addressee: store.me }),
    );
    applyEvent(
      store,
      frame("user:1", 7, "friend.requested", { requester: store.me, addressee: cat }),
    );
    const pending = friendsWith(store, "pending").map((entry) => [entry.user.id, entry.direction]);
    assert.deepEqual(pending, [
      [2, "incoming"],
      [3, "outgoing"],
    ]);
    applyEvent(store, frame("user:1", 8, "friend.accepted", { users: [store.me, bob] }));
    applyEvent(store, frame("user:1", 9, "friend.removed", { user_ids: [ME, 3] }));
    assert.deepEqual(
      friendsWith(store, "accepted").map((entry) => entry.user.id),
      [2],
    );
    assert.equal(store.friends.items.has(3), false);
    applyEvent(store, frame("user:1", 9, "friend.blocked", { user: cat }));
    assert.equal(store.friends.items.has(3), false, "seq 9 was applied already");
  });
});

describe("direct chats and read receipts", () => {
  it("asks for a direct conversation it does not hold when a message arrives", () => {
    const sent = { id: 40, conversation_id: 8, sender: user(2, "Bob"), text: "hi" };
    const result = applyEvent(store, frame("user:1", 3, "direct.message_sent", sent));
    assert.deepEqual(result.effects, [{ type: "load-conversation", id: 8 }]);
  });

  it("remembers how far the others have read, never backwards", () => {
    const read = (seq, upTo) =>
      frame("group:3", seq, "group.messages_read", {
        conversation_id: 5,
        user_id: 2,
        last_read_message_id: upTo,
      });
    applyEvent(store, read(3, 20));
    applyEvent(store, read(4, 12));
    assert.equal(store.readers.get(5).get(2), 20);
  });
});

describe("plan participants", () => {
  it("adds and removes the people of a personal plan", () => {
    const personal = { ...planSnapshot(4), group: null, participants: [] };
    installPlan(store, personal);
    const joined = { plan_id: 10, user: user(2, "Bob") };
    applyEvent(store, frame("plan:10", 5, "plan.member_joined", joined));
    assert.deepEqual(
      store.plans.get(10).data.participants.map((u) => u.id),
      [2],
    );
    applyEvent(store, frame("plan:10", 6, "plan.member_left", { plan_id: 10, user_id: 2 }));
    assert.deepEqual(store.plans.get(10).data.participants, []);
  });
});
