// The plan page: the head with its lifecycle controls and the itinerary. Every change made
// elsewhere appears live (the store's "plan" changes).

import { errorMessage } from "../../lib/toast.js";
import { crumbs, notice } from "../../lib/dom.js";
import { loadPlan } from "../../state/live.js";
import { onChange, store } from "../../state/store.js";
import { planHeader } from "./header.js";
import { itinerary } from "./itinerary.js";

async function planRecord(main, planId) {
  const record = store.plans.get(planId);
  if (record && record.activities) return record;
  try {
    return await loadPlan(planId);
  } catch (error) {
    if (error.status === 404) {
      notice(
        main,
        "Plan not found",
        "It may have been deleted, or you are no longer in its group.",
      );
    } else notice(main, "Could not load the plan", errorMessage(error));
    return null;
  }
}

export async function renderPlan(main, planId) {
  let record = await planRecord(main, planId);
  if (!record) return null;
  const view = {
    planId,
    record: () => record,
    /** A REST answer may arrive before or after its event: keep whichever is newer. */
    keep(activity) {
      const held = record.activities.get(activity.id);
      if (!held || activity.version > held.version) record.activities.set(activity.id, activity);
      list.render();
    },
    rerender: () => list.render(),
  };
  const head = planHeader(view);
  const list = itinerary(view);
  main.replaceChildren(crumbs(), ...head.nodes, list.node);
  head.render();
  list.render();
  store.openPlan = planId;
  const stop = onChange(({ kind, id }) => {
    if (id !== planId) return;
    if (kind === "plan") {
      record = store.plans.get(planId) || record;
      head.render();
      if (record.activities) list.render();
    } else if (kind === "plan-deleted") {
      notice(main, "This plan is gone", "It was deleted, or you no longer have access to it.");
      main.querySelector("h1").focus();
    }
  });
  return () => {
    stop();
    if (store.openPlan === planId) store.openPlan = null;
  };
}
