// realtime.js under Node's test runner: the protocol of docs/realtime.md against a scripted
// server (FakeSocket). Timers are mocked, so backoff is exercised without waiting.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { browserGlobals, FakeSocket } from "./fake-socket.js";

browserGlobals();
const { RealtimeClient } = await import("../../planpal/web/static/web/realtime.js");

const clients = [];

function client() {
  const rt = new RealtimeClient({ url: "ws://test/ws/", WebSocketImpl: FakeSocket });
  clients.push(rt);
  const seen = { events: [], resets: [], revoked: [], states: [], fatal: [], unauth: [] };
  rt.addEventListener("event", (e) => seen.events.push([e.detail.frame.topic, e.detail.frame.seq]));
  rt.addEventListener("reset", (e) => seen.resets.push(e.detail));
  rt.addEventListener("revoked", (e) => seen.revoked.push(e.detail.topic));
  rt.addEventListener("state", (e) => seen.states.push(e.detail.state));
  rt.addEventListener("fatal", (e) => seen.fatal.push(e.detail.code));
  rt.addEventListener("unauthenticated", (e) => seen.unauth.push(e.detail.code));
  return { rt, seen };
}

/** Open the socket and answer the automatic user:<id> subscription. */
function connect(socket = FakeSocket.last, userId = 7) {
  socket.open();
  socket.receive({ type: "subscribed", topic: `user:${userId}`, seq: 0, recovered: true });
}

const event = (topic, seq, name = "plan.updated") => ({
  type: "event",
  topic,
  seq,
  event: name,
  data: {},
});

describe("RealtimeClient", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
    mock.method(Math, "random", () => 0.5);
  });
  afterEach(() => {
    clients.splice(0).forEach((rt) => rt.stop());
    mock.timers.reset();
    mock.restoreAll();
  });

  it("subscribes followed topics with since once the connection is served", () => {
    const { rt, seen } = client();
    rt.follow("plan:1", 4);
    rt.follow("group:2", null);
    rt.start();
    assert.deepEqual(FakeSocket.last.ops("subscribe"), []);
    connect();
    const subscribes = FakeSocket.last.ops("subscribe");
    assert.deepEqual(
      subscribes.map((frame) => [frame.topic, frame.since]),
      [
        ["plan:1", 4],
        ["group:2", undefined],
      ],
    );
    assert.deepEqual(seen.states, ["connecting", "connected"]);
    assert.equal(rt.userId, 7);
  });

  it("delivers events in seq order and drops duplicates", () => {
    const { rt, seen } = client();
    rt.follow("plan:1", 4);
    rt.start();
    connect();
    for (const seq of [5, 5, 6, 4, 7]) FakeSocket.last.receive(event("plan:1", seq));
    assert.deepEqual(seen.events, [
      ["plan:1", 5],
      ["plan:1", 6],
      ["plan:1", 7],
    ]);
    assert.equal(rt.lastSeq("plan:1"), 7);
  });

  it("answers a gap by resubscribing from the last seq, once, and takes the replay", () => {
    const { rt, seen } = client();
    rt.follow("plan:1", 4);
    rt.start();
    connect();
    const socket = FakeSocket.last;
    socket.receive({ type: "subscribed", topic: "plan:1", seq: 4, recovered: true });
    socket.receive(event("plan:1", 7));
    socket.receive(event("plan:1", 8));
    const resubscribes = socket.ops("subscribe").slice(1);
    assert.deepEqual(
      resubscribes.map((frame) => frame.since),
      [4],
    );
    socket.receive({ type: "subscribed", topic: "plan:1", seq: 8, recovered: true });
    for (const seq of [5, 6, 7, 8]) socket.receive(event("plan:1", seq));
    assert.deepEqual(
      seen.events.map(([, seq]) => seq),
      [5, 6, 7, 8],
    );
  });

  it("reports a topic the server cannot replay and continues from its head", () => {
    const { rt, seen } = client();
    rt.follow("plan:1", 4);
    rt.start();
    connect();
    FakeSocket.last.receive({ type: "subscribed", topic: "plan:1", seq: 90, recovered: false });
    assert.deepEqual(seen.resets, [{ topic: "plan:1", seq: 90 }]);
    FakeSocket.last.receive(event("plan:1", 91));
    assert.deepEqual(seen.events, [["plan:1", 91]]);
    assert.equal(rt.recentEvents("plan:1", 80), null, "events 81-90 were never held");
  });

  it("reconnects after a drop with backoff and resumes each topic after its last seq", () => {
    const { rt, seen } = client();
    rt.follow("plan:1", 4);
    rt.start();
    connect();
    FakeSocket.last.receive(event("plan:1", 5));
    FakeSocket.last.drop(1006);
    assert.equal(rt.state, "reconnecting");
    assert.equal(FakeSocket.all.length, 1, "no reconnect before the backoff delay");
    mock.timers.tick(250); // full jitter: random 0.5 × min(30 s, 250 ms × 2¹)
    assert.equal(FakeSocket.all.length, 2);
    connect();
    assert.deepEqual(
      FakeSocket.last.ops("subscribe").map((frame) => [frame.topic, frame.since]),
      [["plan:1", 5]],
    );
    assert.deepEqual(seen.states, ["connecting", "connected", "reconnecting", "connected"]);
  });

  it("doubles the backoff while connections keep failing, capped", () => {
    const { rt } = client();
    rt.maxDelayMs = 1000;
    rt.start();
    const delays = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = FakeSocket.all.length;
      FakeSocket.last.drop(1006);
      let waited = 0;
      while (FakeSocket.all.length === before) {
        mock.timers.tick(1);
        waited += 1;
      }
      delays.push(waited);
    }
    assert.deepEqual(delays, [250, 500, 500, 500, 500]);
  });

  it("stops following a topic whose access was revoked", () => {
    const { rt, seen } = client();
    rt.follow("group:2", 1);
    rt.start();
    connect();
    FakeSocket.last.receive({ type: "unsubscribed", topic: "group:2", reason: "revoked" });
    assert.deepEqual(seen.revoked, ["group:2"]);
    assert.equal(rt.isFollowing("group:2"), false);
    FakeSocket.last.receive(event("group:2", 2, "group.updated"));
    assert.deepEqual(seen.events, []);
  });

  it("treats a refused subscription as revoked", () => {
    const { rt, seen } = client();
    rt.follow("plan:9", 0);
    rt.start();
    connect();
    const { ref } = FakeSocket.last.ops("subscribe")[0];
    FakeSocket.last.receive({ type: "error", ref, code: "forbidden", message: "no" });
    assert.deepEqual(seen.revoked, ["plan:9"]);
    assert.equal(rt.isFollowing("plan:9"), false);
  });

  it("gives up on a refused origin and reports a lost session without giving up", () => {
    const first = client();
    first.rt.start();
    FakeSocket.last.drop(4001);
    assert.deepEqual(first.seen.unauth, [4001]);
    assert.equal(first.rt.state, "reconnecting");
    first.rt.stop();

    const second = client();
    second.rt.start();
    const sockets = FakeSocket.all.length;
    FakeSocket.last.drop(4003);
    mock.timers.tick(60000);
    assert.deepEqual(second.seen.fatal, [4003]);
    assert.equal(FakeSocket.all.length, sockets, "no reconnect after 4003");
    assert.equal(second.rt.state, "offline");
  });

  it("catches a newer snapshot up from the recent events it still holds", () => {
    const { rt } = client();
    rt.follow("plan:1", 4);
    rt.start();
    connect();
    for (const seq of [5, 6, 7]) FakeSocket.last.receive(event("plan:1", seq));
    assert.deepEqual(
      rt.recentEvents("plan:1", 5).map((frame) => frame.seq),
      [6, 7],
    );
    assert.deepEqual(rt.recentEvents("plan:1", 7), []);
    assert.equal(rt.recentEvents("plan:1", 2), null, "3 and 4 were never received");
  });

  it("answers presence from the frame with the same ref and fails when offline", async () => {
    const { rt } = client();
    await assert.rejects(rt.presence("group:2"), /not connected/);
    rt.follow("group:2", 0);
    rt.start();
    connect();
    const answer = rt.presence("group:2");
    const { ref } = FakeSocket.last.ops("presence")[0];
    FakeSocket.last.receive({ type: "presence", ref, topic: "group:2", online: [7, 8] });
    assert.deepEqual(await answer, [7, 8]);
  });

  it("sends typing only for followed topics while connected", () => {
    const { rt } = client();
    rt.follow("group:2", 0);
    rt.typing("group:2");
    rt.start();
    connect();
    rt.typing("group:2");
    rt.typing("group:3");
    assert.deepEqual(
      FakeSocket.last.ops("typing").map((frame) => frame.topic),
      ["group:2"],
    );
  });
});
