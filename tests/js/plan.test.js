// The plan screen's pure parts: a new activity's default times and the costs.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  defaultsFor,
  humanActivityError,
} from "../../planpal/web/static/web/screens/plan/activity-dialog.js";
import { costLine, totals } from "../../planpal/web/static/web/screens/plan/costs.js";

describe("defaultsFor", () => {
  it("never proposes a start before a plan that starts at seconds past the minute", () => {
    // A plan made over the API: the form shows minutes, so 08:00:30 must not become 08:00.
    const plan = { start_at: "2026-12-09T08:00:30Z", end_at: "2026-12-10T08:00:00Z" };
    const { starts_at, ends_at } = defaultsFor(plan, new Map());
    assert.equal(starts_at, "2026-12-09T08:01:00.000Z");
    assert.equal(ends_at, "2026-12-09T09:01:00.000Z");
  });

  it("starts after the last activity and ends with the plan", () => {
    const plan = { start_at: "2026-12-09T08:00:00Z", end_at: "2026-12-09T10:30:45Z" };
    const last = { ends_at: "2026-12-09T10:00:00Z" };
    const { starts_at, ends_at } = defaultsFor(plan, new Map([[1, last]]));
    assert.deepEqual(
      [starts_at, ends_at],
      ["2026-12-09T10:00:00.000Z", "2026-12-09T10:30:00.000Z"],
    );
  });
});

describe("humanActivityError", () => {
  const plan = {
    timezone: "Asia/Ho_Chi_Minh",
    start_at: "2026-12-09T01:00:00Z",
    end_at: "2026-12-10T15:00:00Z",
  };
  const walk = {
    id: 7,
    title: "Old town walk",
    starts_at: "2026-12-09T09:00:00Z",
    ends_at: "2026-12-09T10:30:00Z",
  };

  it("names the activity it overlaps, with its times in the plan's zone, not its id", () => {
    const error = {
      code: "overlap",
      message: "Overlaps with activity 7 ('Old town walk', 2026-12-09T09:00:00+00:00 to …).",
      fields: { conflicting_activity: ["7"] },
    };
    humanActivityError(error, plan, new Map([[7, walk]]));
    assert.match(error.message, /“Old town walk”/);
    assert.match(error.message, /16:00|04:00 PM/); // the locale decides 24 h or AM/PM
    assert.doesNotMatch(error.message, /activity 7|T09:00|\+00:00/);
    assert.deepEqual(error.fields, {});
  });

  it("says when the plan runs, in its zone", () => {
    const error = {
      code: "outside_plan",
      message: "The activity must lie within the plan's dates.",
      fields: { starts_at: ["The plan runs from 2026-12-09T01:00:00+00:00 to …"] },
    };
    humanActivityError(error, plan, new Map());
    assert.match(error.fields.starts_at[0], /08:00.*Asia\/Ho_Chi_Minh/);
    assert.doesNotMatch(error.fields.starts_at[0], /\+00:00/);
  });
});

describe("costs", () => {
  it("adds up per currency and leaves out activities without a cost", () => {
    const sums = totals([
      { estimated_cost: "4.00", currency: "USD" },
      { estimated_cost: "12.50", currency: "USD" },
      { estimated_cost: "100000", currency: "VND" },
      { estimated_cost: null, currency: "EUR" },
    ]);
    assert.deepEqual(
      [...sums],
      [
        ["USD", 16.5],
        ["VND", 100000],
      ],
    );
    assert.equal(costLine(sums), "$16.50 · ₫100,000");
  });
});
