// Wall-clock times in a plan's zone → instants, by the server's rule (issue 13 #24): a time that a
// daylight-saving change skips moves forward by the gap, a repeated one is its first occurrence
// (PEP 495 fold=0). fixtures/wall-times.json is checked against Python's zoneinfo by
// tests/web/test_wall_times.py, so the client and the server share one table.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fromLocalInput, toLocalInput } from "../../planpal/web/static/web/lib/format.js";

const cases = JSON.parse(readFileSync(new URL("./fixtures/wall-times.json", import.meta.url)));

describe("fromLocalInput", () => {
  for (const { zone, wall, utc, case: why } of cases) {
    it(`reads ${wall} in ${zone} as ${utc} (${why})`, () => {
      assert.equal(fromLocalInput(wall, zone), utc);
    });
  }

  it("gives back what toLocalInput shows, for every time that exists", () => {
    for (const { zone, utc } of cases) {
      const shown = toLocalInput(utc, zone);
      assert.equal(fromLocalInput(shown, zone), utc, `${utc} in ${zone} shown as ${shown}`);
    }
  });
});

describe("formatDuration", () => {
  it("says durations the way people do", async () => {
    const { formatDuration } = await import("../../planpal/web/static/web/lib/format.js");
    const at = (minutes) => new Date(Date.UTC(2026, 11, 9, 8) + minutes * 60000).toISOString();
    const start = at(0);
    assert.deepEqual(
      [45, 60, 90, 1440, 1440 + 180, 0].map((minutes) => formatDuration(start, at(minutes))),
      ["45 min", "1 h", "1 h 30 min", "1 day", "1 day 3 h", "0 min"],
    );
  });
});
