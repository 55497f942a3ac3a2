// What screens show while writes wait (planpal/web/static/web/offline/pending.js): the store's
// activities, messages and notifications with the outbox's changes laid over them, marked.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  activitiesWithPending,
  messagesWaiting,
  messagesWithEdits,
  notificationsReadHere,
} from "../../planpal/web/static/web/offline/pending.js";
import * as writes from "../../planpal/web/static/web/offline/writes.js";

const ME = { id: 1, username: "alice", display_name: "Alice" };
const coffee = {
  id: 5,
  plan: 3,
  title: "Coffee",
  version: 1,
  completed_at: null,
  completed_by: null,
};
const market = {
  id: 6,
  plan: 3,
  title: "Market",
  version: 4,
  completed_at: null,
  completed_by: null,
};
const held = new Map([
  [5, coffee],
  [6, market],
]);
const entry = (write, seq, status = "pending") => ({
  ...write,
  seq,
  status,
  at: 1_700_000_000_000,
});

describe("activitiesWithPending", () => {
  it("shows a new activity, an edit and a completion as waiting, leaving the store alone", () => {
    const entries = [
      entry(writes.createActivity(3, { title: "Bakery", starts_at: "x" }, "k1"), 1),
      entry(writes.updateActivity(market, { title: "Market visit" }, "k2"), 2),
      entry(writes.completeActivity(coffee, true, "k3"), 3),
    ];
    const shown = activitiesWithPending(held, entries, 3, ME);
    assert.equal(shown.get("new-k1").title, "Bakery");
    assert.equal(shown.get("new-k1").sync, "pending");
    assert.equal(shown.get(6).title, "Market visit");
    assert.equal(shown.get(6).version, 4, "the version stays the one the edit was based on");
    assert.equal(shown.get(5).completed_by, ME);
    assert.ok(shown.get(5).completed_at);
    assert.equal(held.get(6).title, "Market", "the store is not touched");
    assert.equal(held.get(5).completed_at, null);
  });

  it("shows the server's version of a conflicting edit, marked, and other plans untouched", () => {
    const conflict = entry(writes.updateActivity(market, { title: "Mine" }, "k"), 1, "conflict");
    const shown = activitiesWithPending(held, [conflict], 3);
    assert.equal(shown.get(6).title, "Market");
    assert.equal(shown.get(6).sync, "conflict");
    assert.equal(activitiesWithPending(held, [conflict], 99).get(6).sync, undefined);
  });

  it("reopens a done activity on screen", () => {
    const done = { ...coffee, completed_at: "2026-12-01T10:00:00Z", completed_by: ME };
    const entries = [entry(writes.completeActivity(done, false, "r"), 1)];
    const shown = activitiesWithPending(new Map([[5, done]]), entries, 3);
    assert.equal(shown.get(5).completed_at, null);
  });
});

describe("a waiting reorder", () => {
  const lake = { id: 8, plan: 3, title: "Lake", version: 2, completed_at: null };
  const ordered = new Map([
    [5, { ...coffee, position: 0 }],
    [6, { ...market, position: 1 }],
    [8, { ...lake, position: 2 }],
  ]);
  const order = (shown) => [...shown.values()].sort((a, b) => a.position - b.position);

  it("shows the new order and marks the activities it moves", () => {
    const entries = [entry(writes.reorderActivities(3, [5, 8, 6], "Lake", "r"), 1)];
    const shown = activitiesWithPending(ordered, entries, 3);
    assert.deepEqual(
      order(shown).map((a) => a.id),
      [5, 8, 6],
    );
    assert.deepEqual(
      order(shown).map((a) => a.sync),
      [undefined, "pending", "pending"],
    );
    assert.equal(ordered.get(8).position, 2, "the store is not touched");
  });

  it("builds on an earlier waiting reorder and keeps an edit's mark and fields", () => {
    const entries = [
      entry(writes.updateActivity(market, { title: "Market visit" }, "e"), 1),
      entry(writes.reorderActivities(3, [5, 8, 6], "Lake", "r1"), 2),
      entry(writes.reorderActivities(3, [8, 5, 6], "Lake", "r2"), 3, "failed"),
    ];
    const shown = order(activitiesWithPending(ordered, entries, 3));
    assert.deepEqual(
      shown.map((a) => [a.id, a.sync]),
      [
        [8, "pending"],
        [5, "failed"],
        [6, "pending"],
      ],
    );
    assert.equal(shown[2].title, "Market visit");
  });
});

describe("messagesWithEdits", () => {
  const hello = { id: 31, conversation_id: 8, text: "Hello", version: 1 };
  const items = new Map([[31, hello]]);

  it("shows the edited text, marked, and leaves the log and other chats alone", () => {
    const entries = [entry(writes.editMessage(hello, "Hello all", "e"), 1)];
    const shown = messagesWithEdits(items, entries, 8);
    assert.equal(shown.get(31).text, "Hello all");
    assert.equal(shown.get(31).sync, "pending");
    assert.equal(items.get(31).text, "Hello", "the store is not touched");
    assert.equal(messagesWithEdits(items, entries, 9), items);
  });

  it("shows the server's text while the edit conflicts", () => {
    const entries = [entry(writes.editMessage(hello, "Mine", "e"), 1, "conflict")];
    const shown = messagesWithEdits(items, entries, 8);
    assert.equal(shown.get(31).text, "Hello");
    assert.equal(shown.get(31).sync, "conflict");
  });
});

describe("messagesWaiting and notificationsReadHere", () => {
  it("lists the conversation's kept messages as queued or failed, by client_id", () => {
    const entries = [
      entry(writes.sendMessage(8, { kind: "text", text: "hi", client_id: "a" }), 1),
      entry(writes.sendMessage(8, { kind: "text", text: "no", client_id: "b" }), 2, "failed"),
      entry(writes.sendMessage(9, { kind: "text", text: "elsewhere", client_id: "c" }), 3),
    ];
    const waiting = messagesWaiting(entries, 8, ME);
    assert.deepEqual([...waiting.keys()], ["a", "b"]);
    assert.equal(waiting.get("a").status, "queued");
    assert.equal(waiting.get("a").content, "hi");
    assert.equal(waiting.get("b").status, "failed");
    assert.equal(waiting.get("a").sender, ME);
  });

  it("knows which notifications were read on this device", () => {
    const entries = [entry(writes.readNotification({ id: 12, title: "Hi" }, "n"), 1)];
    assert.deepEqual([...notificationsReadHere(entries)], [12]);
  });
});
