// The map's pure part: which activities have a place, on which day, in itinerary order.

import { dayKey } from "../../lib/format.js";

function located(activity) {
  return activity.lat != null && activity.lng != null && activity.lat !== "";
}

/** Itinerary order of one day: by start, then by id (as the day list shows it). */
function byStart(a, b) {
  return a.starts_at.localeCompare(b.starts_at) || a.id - b.id;
}

/** The days (keys in the plan's zone, in order) that have at least one activity with a place. */
export function mappedDays(activities, zone) {
  const days = new Set(
    activities.filter(located).map((activity) => dayKey(activity.starts_at, zone)),
  );
  return [...days].sort();
}

/** The route of day `day`: one point per activity with a place, in itinerary order. */
export function routePoints(activities, zone, day) {
  return activities
    .filter((activity) => located(activity) && dayKey(activity.starts_at, zone) === day)
    .sort(byStart)
    .map((activity) => ({
      id: activity.id,
      title: activity.title,
      name: activity.location_name || "",
      lat: Number(activity.lat),
      lng: Number(activity.lng),
    }));
}
