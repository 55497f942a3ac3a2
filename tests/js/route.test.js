// The map's route: activities with a place, one day in the plan's zone, in itinerary order.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mappedDays, routePoints } from "../../planpal/web/static/web/screens/plan/route.js";

const at = (id, starts_at, lat, lng, title = `A${id}`) => ({
  id,
  title,
  starts_at,
  lat,
  lng,
  location_name: "",
});

const activities = [
  at(3, "2026-05-01T10:00:00Z", "38.7", "-9.2"),
  at(1, "2026-05-01T08:00:00Z", "38.6", "-9.1"),
  at(2, "2026-05-01T09:00:00Z", null, null),
  at(5, "2026-05-01T10:00:00Z", "38.8", "-9.3"),
  at(4, "2026-05-01T23:30:00Z", "1", "2"),
  at(6, "2026-05-02T07:00:00Z", "0", "0"),
];

describe("routePoints", () => {
  it("keeps the day's activities with a place, by start then id, as numbers", () => {
    const points = routePoints(activities, "UTC", "2026-05-01");
    assert.deepEqual(
      points.map((point) => point.id),
      [1, 3, 5, 4],
    );
    assert.deepEqual(points[0], { id: 1, title: "A1", name: "", lat: 38.6, lng: -9.1 });
  });

  it("cuts days in the plan's zone, not in UTC", () => {
    // 23:30 UTC is the next morning in Ho Chi Minh City (UTC+7).
    const points = routePoints(activities, "Asia/Ho_Chi_Minh", "2026-05-02");
    assert.deepEqual(
      points.map((point) => point.id),
      [4, 6],
    );
  });

  it("keeps a place at 0,0 (the equator is a place)", () => {
    assert.deepEqual(
      routePoints(activities, "UTC", "2026-05-02").map((point) => [point.lat, point.lng]),
      [[0, 0]],
    );
  });
});

describe("mappedDays", () => {
  it("lists only the days that have a place, in order", () => {
    assert.deepEqual(mappedDays(activities, "UTC"), ["2026-05-01", "2026-05-02"]);
    assert.deepEqual(mappedDays([at(1, "2026-05-01T08:00:00Z", null, null)], "UTC"), []);
  });
});
