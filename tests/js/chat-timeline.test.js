// The group chat's timeline (screens/chat/timeline.js): polls among the messages at their
// creation time, and no poll above messages that came before it while earlier ones are unloaded.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { timeline } from "../../planpal/web/static/web/screens/chat/timeline.js";

const at = (minute) => `2026-05-01T10:${String(minute).padStart(2, "0")}:00Z`;
const message = (id, minute) => ({ id, created_at: at(minute) });
const poll = (id, minute) => ({ id, created_at: at(minute) });
const shape = (entries) => entries.map(({ kind, item }) => `${kind[0]}${item.id}`);

describe("timeline", () => {
  it("places each poll before the first message written after it", () => {
    const messages = [message(1, 0), message(2, 5), message(3, 10)];
    const polls = [poll(8, 12), poll(7, 5), poll(6, 3)];
    const entries = timeline(messages, polls, { complete: true });
    // A poll at the same instant as a message follows it; a poll after the last one ends the log.
    assert.deepEqual(shape(entries), ["m1", "p6", "m2", "p7", "m3", "p8"]);
  });

  it("keeps messages in their order even when their clocks disagree", () => {
    const messages = [message(2, 4), message(1, 6)]; // ids say 1 then 2
    const entries = timeline(messages, [poll(5, 5)], { complete: true });
    assert.deepEqual(shape(entries), ["p5", "m1", "m2"]);
  });

  it("holds back polls older than the loaded messages until the earlier ones are loaded", () => {
    const messages = [message(10, 20), message(11, 30)];
    const polls = [poll(1, 5), poll(2, 25)];
    assert.deepEqual(shape(timeline(messages, polls, { complete: false })), ["m10", "p2", "m11"]);
    assert.deepEqual(shape(timeline(messages, polls, { complete: true })), [
      "p1",
      "m10",
      "p2",
      "m11",
    ]);
  });

  it("shows a group's polls in a chat without messages, oldest first", () => {
    const entries = timeline([], [poll(2, 9), poll(1, 3)], { complete: false });
    assert.deepEqual(shape(entries), ["p1", "p2"]);
  });

  it("orders polls of the same instant by id and compares times, not strings", () => {
    const polls = [poll(4, 1), poll(3, 1), { id: 9, created_at: "2026-05-01T12:00:30.5+02:00" }];
    const entries = timeline([message(1, 2)], polls, { complete: true });
    assert.deepEqual(shape(entries), ["p9", "p3", "p4", "m1"]); // 12:00:30+02:00 is 10:00:30Z
  });
});
