// The offline outbox (planpal/web/static/web/offline/) against fake-indexeddb: writes kept
// across a "reload", sent in order with their keys, conflicts and refusals kept for the user.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { IDBFactory } from "fake-indexeddb";
import { openDb } from "../../planpal/web/static/web/offline/db.js";
import { classify, createOutbox } from "../../planpal/web/static/web/offline/outbox.js";
import { createSnapshots } from "../../planpal/web/static/web/offline/snapshots.js";
import * as writes from "../../planpal/web/static/web/offline/writes.js";

const market = { id: 7, plan: 3, title: "Market", version: 2 };
const failure = (status, extra = {}) =>
  Object.assign(new Error(`failed ${status}`), { status, ...extra });

/** A server double: answers by path from a script, records what it was sent. */
function fakeServer() {
  const sent = [];
  const script = new Map();
  return {
    sent,
    answer(path, ...outcomes) {
      script.set(path, outcomes);
    },
    async send(entry) {
      sent.push({ path: entry.path, key: entry.clientId, body: entry.body });
      const outcomes = script.get(entry.path) || [];
      const outcome = outcomes.length > 1 ? outcomes.shift() : outcomes[0];
      if (outcome instanceof Error) throw outcome;
      return outcome ?? { ok: true };
    },
  };
}

/** An outbox of user 1 on an empty database of its own, sending to `server`. */
const freshOutbox = (server, onSent) =>
  createOutbox({ db: openDb(new IDBFactory()), send: server.send, onSent, owner: () => 1 });

describe("the outbox", () => {
  let factory;
  let server;
  const open = async (onSent) =>
    createOutbox({
      db: await openDb(factory),
      send: (entry) => server.send(entry),
      onSent,
      owner: () => 1,
    });

  beforeEach(() => {
    factory = new IDBFactory();
    server = fakeServer();
  });

  it("keeps writes across a reload and sends them in the order they were made", async () => {
    const before = await open();
    await before.add(writes.createActivity(3, { title: "Bakery" }, "k1"));
    await before.add(writes.completeActivity(market, true, "k2"));
    await before.add(writes.sendMessage(5, { kind: "text", text: "hi", client_id: "k3" }));
    await before.add(writes.sendMessage(5, { kind: "text", text: "again", client_id: "k4" }));

    const after = await open(); // a new page: only IndexedDB is left
    assert.equal((await after.load()).length, 4);
    assert.equal(await after.flush(), true);
    assert.deepEqual(
      server.sent.map((call) => [call.path, call.key]),
      [
        ["plans/3/activities", "k1"],
        ["activities/7/complete", "k2"],
        ["conversations/5/messages", "k3"],
        ["conversations/5/messages", "k4"],
      ],
    );
    assert.equal(server.sent[0].body.client_id, "k1");
    assert.equal((await (await open()).load()).length, 0, "sent entries leave the database");
  });

  it("stops at a network failure and resumes from the same entry, sending nothing twice", async () => {
    const outbox = await open();
    await outbox.add(writes.sendMessage(5, { kind: "text", text: "one", client_id: "a" }));
    await outbox.add(writes.sendMessage(5, { kind: "text", text: "two", client_id: "b" }));
    server.answer("conversations/5/messages", failure(0), { id: 1 }, { id: 2 });

    assert.equal(await outbox.flush(), false);
    assert.equal(outbox.entries.length, 2);
    assert.equal(await outbox.flush(), true);
    assert.deepEqual(
      server.sent.map((call) => call.key),
      ["a", "a", "b"],
    );
  });

  it("hands each answer to onSent", async () => {
    const got = [];
    const outbox = await open((entry, answer) => got.push([entry.kind, answer.id]));
    await outbox.add(writes.createActivity(3, { title: "Bakery" }, "k1"));
    server.answer("plans/3/activities", { id: 40 });
    await outbox.flush();
    assert.deepEqual(got, [["activity.create", 40]]);
  });

  it("keeps a 409 with the server's version as a conflict and goes on with the rest", async () => {
    const outbox = await open();
    const edit = await outbox.add(writes.updateActivity(market, { title: "Mine" }, "e1"));
    await outbox.add(writes.sendMessage(5, { kind: "text", text: "after", client_id: "m1" }));
    const theirs = { ...market, title: "Theirs", version: 3 };
    server.answer("activities/7", failure(409, { current: theirs }), { ...theirs, version: 4 });

    assert.equal(await outbox.flush(), true);
    assert.equal(edit.status, "conflict");
    assert.deepEqual(edit.current, theirs);
    assert.deepEqual(outbox.entries, [edit], "the message behind it was sent");

    await outbox.resolve(edit, "mine");
    assert.deepEqual(server.sent.at(-1).body, { title: "Mine", version: 3 });
    assert.deepEqual(outbox.entries, []);
  });

  it("drops a conflicting edit when the user takes the server's version", async () => {
    const outbox = await open();
    const edit = await outbox.add(writes.updateActivity(market, { title: "Mine" }, "e1"));
    server.answer("activities/7", failure(409, { current: { ...market, version: 3 } }));
    await outbox.flush();
    await outbox.resolve(edit, "theirs");
    assert.deepEqual(outbox.entries, []);
    assert.equal((await (await open()).load()).length, 0);
  });

  it("shows a permanent refusal until retried or discarded, surviving a reload", async () => {
    const outbox = await open();
    await outbox.add(writes.createActivity(3, { title: "Overlap" }, "k1"));
    server.answer("plans/3/activities", failure(400, { message: "This overlaps Coffee." }));
    await outbox.flush();

    const reloaded = await open();
    const [kept] = await reloaded.load();
    assert.equal(kept.status, "failed");
    assert.equal(kept.error, "This overlaps Coffee.");
    assert.equal(reloaded.busy(), false, "a failed entry does not hold up new writes");

    server.answer("plans/3/activities", { id: 9 });
    await reloaded.retry(kept);
    assert.deepEqual(reloaded.entries, []);
  });

  it("counts completing an already completed activity as done", async () => {
    const outbox = await open();
    await outbox.add(writes.completeActivity(market, true, "c1"));
    server.answer("activities/7/complete", failure(409, { code: "already_completed" }));
    await outbox.flush();
    assert.deepEqual(outbox.entries, []);
  });

  it("loads only the signed-in user's entries", async () => {
    const db = await openDb(factory);
    const mine = createOutbox({ db, send: server.send, owner: () => 1 });
    const theirs = createOutbox({ db, send: server.send, owner: () => 2 });
    await mine.add(writes.readNotification({ id: 4, title: "Hi" }, "n1"));
    assert.equal((await theirs.load()).length, 0);
    assert.equal((await mine.load()).length, 1);
  });

  it("runs one flush at a time", async () => {
    const outbox = await open();
    await outbox.add(writes.sendMessage(5, { kind: "text", text: "once", client_id: "x" }));
    await Promise.all([outbox.flush(), outbox.flush()]);
    assert.equal(server.sent.length, 1);
  });
});

describe("classify", () => {
  it("tells waiting from conflicts and refusals", () => {
    assert.equal(classify(failure(0)), "later");
    assert.equal(classify(failure(503)), "later");
    assert.equal(classify(failure(429)), "later");
    assert.equal(classify(failure(409, { current: market })), "conflict");
    assert.equal(classify(failure(409, { code: "not_completed" })), "done");
    assert.equal(classify(failure(409, { code: "plan_closed" })), "failed");
    assert.equal(classify(failure(403)), "failed");
    assert.equal(classify(failure(400)), "failed");
  });
});

describe("snapshots", () => {
  it("keeps the last answer per user and path, and none of files or later pages", async () => {
    const snapshots = createSnapshots(openDb(new IDBFactory()), () => 1000);
    assert.equal(snapshots.keeps("plans/3"), false, "nobody signed in: nothing kept");
    snapshots.setOwner(1);
    await snapshots.save("plans/3", { id: 3, title: "Dalat" });
    assert.deepEqual(await snapshots.load("plans/3"), {
      data: { id: 3, title: "Dalat" },
      savedAt: 1000,
    });
    assert.equal(snapshots.keeps("uploads/4/content"), false);
    assert.equal(snapshots.keeps("plans/3/events?cursor=abc"), false);
    snapshots.setOwner(2);
    assert.equal(await snapshots.load("plans/3"), null, "another account sees nothing");
  });
});

describe("edits on top of edits", () => {
  it("bases a later edit of the same activity on the version the earlier one got", async () => {
    const server = fakeServer();
    const outbox = freshOutbox(server);
    await outbox.add(writes.updateActivity(market, { title: "One" }, "e1"));
    await outbox.add(writes.updateActivity(market, { title: "Two" }, "e2"));
    server.answer(
      "activities/7",
      { ...market, title: "One", version: 3 },
      { ...market, version: 4 },
    );
    await outbox.flush();
    assert.deepEqual(server.sent[1].body, { title: "Two", version: 3 });
  });
});

describe("reorders", () => {
  const lake = { id: 8, plan: 3, title: "Lake", version: 1 };
  /** The plan's activities as the server lists them: [[id, version], …] in order. */
  const listed = (pairs) => pairs.map(([id, version], position) => ({ id, version, position }));

  it("are kept with the other writes and sent in the order they were made", async () => {
    const server = fakeServer();
    const outbox = freshOutbox(server);
    await outbox.add(writes.updateActivity(market, { title: "Market visit" }, "e1"));
    const reorder = writes.reorderActivities(3, [5, 8, 7], "Lake", "r1");
    await outbox.add(reorder);
    await outbox.add(writes.sendMessage(5, { kind: "text", text: "moved", client_id: "m1" }));
    await outbox.flush();
    assert.deepEqual(
      server.sent.map((call) => [call.path, call.key]),
      [
        ["activities/7", "e1"],
        ["plans/3/activities/reorder", "r1"],
        ["conversations/5/messages", "m1"],
      ],
    );
    assert.deepEqual(server.sent[1].body, { order: [5, 8, 7] });
    assert.equal(reorder.baseVersion, null, "the reorder endpoint takes no version");
  });

  it("rebase the edits behind them that the reorder itself bumped, and only those", async () => {
    const server = fakeServer();
    const outbox = freshOutbox(server);
    await outbox.add(writes.reorderActivities(3, [8, 7], "Lake", "r1"));
    await outbox.add(writes.updateActivity(market, { title: "Market visit" }, "e1"));
    await outbox.add(writes.updateActivity(lake, { title: "Lake walk" }, "e2"));
    // Before the reorder Market was still at 2 (as seen), Lake at 5 (someone else edited it).
    const before = listed([
      [5, 1],
      [7, 2],
      [8, 5],
    ]);
    const after = listed([
      [5, 1],
      [8, 6],
      [7, 3],
    ]);
    const moved = writes.versionsMoved(before, after);
    assert.deepEqual(moved, [
      { id: 8, from: 5, to: 6 },
      { id: 7, from: 2, to: 3 },
    ]);
    server.answer("plans/3/activities/reorder", { results: [], moved });
    await outbox.flush();
    const edits = server.sent.filter((call) => call.path.startsWith("activities/"));
    assert.deepEqual(edits[0].body, { title: "Market visit", version: 3 }, "rebased");
    assert.deepEqual(edits[1].body, { title: "Lake walk", version: 1 }, "still meets the 409");
  });

  it("take the places the user arranged, keeping activities added since, leaving deleted ones", () => {
    // The user put Lake (8) before Market (7); meanwhile 9 was added and Coffee (5) deleted.
    assert.deepEqual(writes.orderAgainst([8, 7, 5], [7, 9, 8]), [8, 9, 7]);
    assert.deepEqual(writes.orderAgainst([8, 7], [7, 8]), [8, 7]);
    assert.deepEqual(writes.orderAgainst([], [7, 8]), [7, 8]);
  });

  it("read the server's order by position, then start, then id", () => {
    const list = [
      { id: 3, position: 1, starts_at: "2026-12-06T08:00:00Z" },
      { id: 2, position: 0, starts_at: "2026-12-06T09:00:00Z" },
      { id: 1, position: 0, starts_at: "2026-12-06T09:00:00Z" },
      { id: 4, position: 0, starts_at: "2026-12-06T07:00:00Z" },
    ];
    assert.deepEqual(writes.inOrder(list), [4, 1, 2, 3]);
  });
});

describe("message edits", () => {
  const hello = { id: 31, conversation_id: 5, text: "Hello", version: 1 };

  it("are sent with the version they were based on, and rebased behind each other", async () => {
    const server = fakeServer();
    const outbox = freshOutbox(server);
    await outbox.add(writes.editMessage(hello, "Hello all", "e1"));
    await outbox.add(writes.editMessage(hello, "Hello everyone", "e2"));
    server.answer("messages/31", { ...hello, text: "Hello all", version: 2 }, { version: 3 });
    await outbox.flush();
    assert.deepEqual(
      server.sent.map((call) => [call.path, call.body]),
      [
        ["messages/31", { text: "Hello all", version: 1 }],
        ["messages/31", { text: "Hello everyone", version: 2 }],
      ],
    );
  });

  it("keep a 409 as a conflict, and Keep mine sends the text on the server's version", async () => {
    const server = fakeServer();
    const outbox = freshOutbox(server);
    const edit = await outbox.add(writes.editMessage(hello, "Mine", "e1"));
    const theirs = { ...hello, text: "Theirs", version: 2 };
    server.answer("messages/31", failure(409, { current: theirs }), { ...hello, version: 3 });
    await outbox.flush();
    assert.equal(edit.status, "conflict");
    await outbox.resolve(edit, "mine");
    assert.deepEqual(server.sent.at(-1).body, { text: "Mine", version: 2 });
    assert.deepEqual(outbox.entries, []);
  });

  it("count a 409 that already shows the edit as sent (its first answer was lost)", async () => {
    const got = [];
    const server = fakeServer();
    const outbox = freshOutbox(server, (entry, answer) => got.push(answer.version));
    await outbox.add(writes.editMessage(hello, "Mine", "e1"));
    server.answer("messages/31", failure(409, { current: { ...hello, text: "Mine", version: 2 } }));
    await outbox.flush();
    assert.deepEqual(outbox.entries, [], "no conflict with the user's own change");
    assert.deepEqual(got, [2], "the server's copy is kept");
  });

  it("show a refusal for good (the message was deleted) with the server's words", async () => {
    const server = fakeServer();
    const outbox = freshOutbox(server);
    const edit = await outbox.add(writes.editMessage(hello, "Mine", "e1"));
    const deleted = failure(409, { code: "message_deleted", message: "This message was deleted." });
    server.answer("messages/31", deleted);
    await outbox.flush();
    assert.equal(edit.status, "failed");
    assert.equal(edit.error, "This message was deleted.");
  });
});
