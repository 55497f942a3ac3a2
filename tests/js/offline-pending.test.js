// What screens show while writes wait (planpal/web/static/web/offline/pending.js): the store's
// activities, messages and notifications with the outbox's changes laid over them, marked.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  activitiesWithPending,
  messagesWaiting,
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
