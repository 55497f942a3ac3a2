// The poll and checklist reducers (state/polls.js, state/checklists.js) under Node's test
// runner: votes keep the highest version, named ballots update, anonymous ones name nobody;
// checklist items follow their versions, personal lists arrive on my own topic.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  checklistsOf,
  installChecklists,
  keepItem,
} from "../../planpal/web/static/web/state/checklists.js";
import { installPolls, pollsOf } from "../../planpal/web/static/web/state/polls.js";
import { applyEvent } from "../../planpal/web/static/web/state/reduce.js";
import { createStore } from "../../planpal/web/static/web/state/store.js";

const ME = 1;
const user = (id, name) => ({ id, username: name.toLowerCase(), display_name: name });
const frame = (topic, seq, event, data) => ({ type: "event", topic, seq, event, data });

let store;
beforeEach(() => {
  store = createStore();
  store.me = user(ME, "Alice");
});

const results = (votes) => ({
  voter_count: votes.reduce((a, b) => a + b, 0),
  options: votes.map((count, index) => ({ id: index + 1, votes: count })),
  days: [],
  ranking: [],
});
const poll = (extra = {}) => ({
  id: 7,
  group: null,
  plan: 10,
  creator: user(2, "Bob"),
  question: "Where?",
  anonymous: false,
  options: [{ id: 1 }, { id: 2 }],
  results: results([0, 0]),
  version: 1,
  closed: false,
  can_close: false,
  my_vote: { options: [], days: {} },
  ballots: [],
  ...extra,
});
const voted = (seq, version, votes, ballot = null) =>
  frame("plan:10", seq, "plan.poll_voted", {
    poll_id: 7,
    question: "Where?",
    version,
    results: results(votes),
    ballot,
  });

describe("polls", () => {
  beforeEach(() =>
    installPolls(store, { stream: { topic: "plan:10", seq: 4 }, results: [poll()] }),
  );

  it("keeps the counts of the highest version, in whatever order the votes arrive", () => {
    applyEvent(store, voted(6, 3, [2, 0]));
    const late = applyEvent(store, voted(5, 2, [1, 0]));
    assert.deepEqual(store.polls.get(7).results, results([2, 0]));
    assert.deepEqual(late.changes, []);
  });

  it("applies each vote once and says which place changed", () => {
    const first = applyEvent(store, voted(5, 2, [1, 0]));
    const again = applyEvent(store, voted(5, 2, [1, 0]));
    assert.deepEqual(first.changes, [{ kind: "polls", id: "plan:10" }]);
    assert.deepEqual(again.changes, []);
  });

  it("tracks named ballots, mine as my vote, and drops a withdrawn one", () => {
    const mine = { user: user(ME, "Alice"), options: [2], days: {} };
    applyEvent(store, voted(5, 2, [0, 1], mine));
    assert.deepEqual(store.polls.get(7).my_vote, { options: [2], days: {} });
    assert.equal(store.polls.get(7).ballots.length, 1);
    const gone = { ...mine, options: [] };
    applyEvent(
      store,
      frame("plan:10", 6, "plan.poll_vote_withdrawn", {
        poll_id: 7,
        question: "Where?",
        version: 3,
        results: results([0, 0]),
        ballot: gone,
      }),
    );
    assert.deepEqual(store.polls.get(7).ballots, []);
  });

  it("an anonymous vote changes the counts and names nobody", () => {
    applyEvent(store, voted(5, 2, [1, 0], null));
    assert.deepEqual(store.polls.get(7).ballots, []);
    assert.deepEqual(store.polls.get(7).my_vote, { options: [], days: {} });
  });

  it("adds a new poll and asks for the viewer's own view of it", () => {
    const created = poll({ id: 8, creator: user(2, "Bob") });
    const result = applyEvent(store, frame("plan:10", 5, "plan.poll_created", created));
    assert.deepEqual(
      pollsOf(store, "plan:10").map((p) => p.id),
      [8, 7],
    );
    assert.deepEqual(result.effects, [{ type: "load-poll", id: 8 }]);
  });

  it("closes and deletes", () => {
    applyEvent(store, frame("plan:10", 5, "plan.poll_closed", { ...poll(), version: 2 }));
    assert.equal(store.polls.get(7).closed, true);
    applyEvent(store, frame("plan:10", 6, "plan.poll_deleted", { poll_id: 7 }));
    assert.deepEqual(pollsOf(store, "plan:10"), []);
  });
});

const item = (id, extra = {}) => ({
  id,
  checklist: 4,
  plan: 10,
  text: `item ${id}`,
  position: id,
  done_at: null,
  done_by: null,
  version: 1,
  ...extra,
});
const checklist = (items = [item(1), item(2)]) => ({
  id: 4,
  plan: 10,
  title: "Gear",
  version: 1,
  items,
});

describe("checklists", () => {
  beforeEach(() =>
    installChecklists(store, { stream: { topic: "plan:10", seq: 3 }, results: [checklist()] }),
  );

  it("ticks once, and an older event does not untick", () => {
    const ticked = item(1, { done_at: "2026-12-01T10:00:00Z", version: 2 });
    const first = applyEvent(store, frame("plan:10", 4, "plan.checklist_item_ticked", ticked));
    const stale = applyEvent(store, frame("plan:10", 3, "plan.checklist_item_added", item(1)));
    assert.equal(store.checklists.get(4).items[0].done_at, "2026-12-01T10:00:00Z");
    assert.deepEqual(first.changes, [{ kind: "checklists", id: 10 }]);
    assert.deepEqual(stale.changes, []);
  });

  it("adds, deletes and reorders items", () => {
    applyEvent(store, frame("plan:10", 4, "plan.checklist_item_added", item(3)));
    applyEvent(
      store,
      frame("plan:10", 5, "plan.checklist_item_deleted", {
        checklist_id: 4,
        plan_id: 10,
        item_id: 1,
      }),
    );
    applyEvent(
      store,
      frame("plan:10", 6, "plan.checklist_reordered", {
        checklist_id: 4,
        plan_id: 10,
        order: [3, 2],
        versions: { 2: 2, 3: 2 },
      }),
    );
    assert.deepEqual(
      store.checklists.get(4).items.map((i) => i.id),
      [3, 2],
    );
  });

  it("a personal list's events arrive on my own topic", () => {
    const mine = { ...checklist([]), id: 5, personal: true, owner: ME };
    applyEvent(store, frame(`user:${ME}`, 9, "plan.checklist_created", mine));
    assert.deepEqual(
      checklistsOf(store, 10).map((c) => c.id),
      [4, 5],
    );
  });

  it("a REST answer older than the event held is not kept", () => {
    keepItem(store, item(2, { text: "new", version: 3 }));
    assert.equal(keepItem(store, item(2, { text: "old", version: 2 })), false);
    assert.equal(store.checklists.get(4).items[1].text, "new");
  });
});
