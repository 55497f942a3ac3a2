// The plan page: the head with its lifecycle controls, then two tabs: the itinerary (map,
// activities, polls, checklists; `#/plans/<id>`) and the budget (`#/plans/<id>/budget`,
// screens/money). Every change made elsewhere appears live (the store's "plan" changes).

import { api } from "../../api.js";
import { crumbs, h, notice } from "../../lib/dom.js";
import { feedList } from "../../lib/feed.js";
import { errorMessage } from "../../lib/toast.js";
import { activitiesWithPending } from "../../offline/pending.js";
import { outbox, submit } from "../../offline/sync.js";
import { loadPlan } from "../../state/live.js";
import { onChange, store } from "../../state/store.js";
import { budgetTab } from "../money/index.js";
import { pollsSection } from "../polls/index.js";
import { planChecklists } from "./checklists.js";
import { planHeader } from "./header.js";
import { itinerary } from "./itinerary.js";
import { planMap } from "./map.js";
import { planPeople } from "./people.js";
import { t } from "../../lib/i18n.js";

function planFeed(planId) {
  const feed = feedList(t("plan.plan_activity"), (url) =>
    url ? api.get(url) : api.get(`plans/${planId}/events?limit=20`),
  );
  const node = h(
    "section",
    { "aria-labelledby": "plan-feed-title" },
    h("h2", { id: "plan-feed-title" }, t("plan.what_happened")),
    feed.node,
  );
  return { node, render: feed.render };
}

async function planRecord(main, planId) {
  const record = store.plans.get(planId);
  if (record && record.activities) return record;
  try {
    return await loadPlan(planId);
  } catch (error) {
    if (error.status === 404) {
      notice(main, t("plan.plan_not_found"), t("plan.it_may_have_been_deleted"));
    } else notice(main, t("plan.could_not_load_the_plan"), errorMessage(error));
    return null;
  }
}

const TABS = [
  ["plan", t("plan.tabs.itinerary"), ""],
  ["budget", t("plan.tabs.budget"), "/budget"],
];

/** The tabs are links (each has its address, so a budget notification can open it). */
function planTabs(planId, current) {
  return h(
    "nav",
    { class: "plan-tabs", "aria-label": t("plan.tabs.label") },
    TABS.map(([name, label, suffix]) =>
      h(
        "a",
        {
          href: `#/plans/${planId}${suffix}`,
          class: "plan-tab",
          "aria-current": name === current ? "page" : null,
        },
        label,
      ),
    ),
  );
}

/** The itinerary tab: map, activities, polls and checklists. */
function itineraryTab(view) {
  const list = itinerary(view);
  const map = planMap(view);
  const polls = pollsSection(`plan:${view.planId}`);
  const checklists = planChecklists(view);
  return {
    node: h("div", { class: "plan-main" }, map.node, list.node, polls.node, checklists.node),
    renderActivities() {
      list.render();
      map.render();
    },
    render() {
      this.renderActivities();
      polls.render();
      checklists.render();
    },
    stop() {
      polls.stop();
      checklists.stop();
    },
  };
}

function moneyTab(view) {
  const tab = budgetTab(view);
  return {
    node: h("div", { class: "plan-main" }, tab.node),
    renderActivities: () => {},
    render: tab.render,
    stop: tab.stop,
  };
}

export async function renderPlan(main, planId, tabName = "plan") {
  let record = await planRecord(main, planId);
  if (!record) return null;
  let tab = null;
  const view = {
    planId,
    record: () => record,
    /** The activities as the user sees them: with their changes still waiting to be sent. */
    activities: () => activitiesWithPending(record.activities, outbox.entries, planId, store.me),
    /** A write that also works offline (offline/sync.js): {answer} or {queued}. */
    submit,
    /** A REST answer may arrive before or after its event: keep whichever is newer. */
    keep(activity) {
      const held = record.activities.get(activity.id);
      if (!held || activity.version > held.version) record.activities.set(activity.id, activity);
      tab.renderActivities();
      head.render();
    },
    rerender: () => {
      tab.renderActivities();
      head.render();
    },
    /** A plan from a REST answer (its version decides whether it is newer than what we hold). */
    mergePlan(plan) {
      const { activities: _, ...fields } = plan;
      if (fields.version >= record.data.version) record.data = { ...record.data, ...fields };
      head.render();
      people.render();
    },
  };
  const head = planHeader(view);
  const people = planPeople(view);
  const feed = planFeed(planId);
  tab = tabName === "budget" ? moneyTab(view) : itineraryTab(view);
  const side = h("div", { class: "plan-side" }, people.node, feed.node);
  main.replaceChildren(
    crumbs(),
    ...head.nodes,
    planTabs(planId, tabName),
    h("div", { class: "plan-layout" }, tab.node, side),
  );
  head.render();
  tab.render();
  people.render();
  feed.render();
  store.openPlan = planId;
  const stop = onChange(({ kind, id }) => {
    // A change kept for later was sent, or needs the user.
    if (kind === "outbox" && record.activities) tab.renderActivities();
    if (id !== planId) return;
    if (kind === "plan") {
      record = store.plans.get(planId) || record;
      head.render();
      people.render();
      feed.render();
      if (record.activities) tab.renderActivities();
    } else if (kind === "plan-deleted") {
      notice(main, t("plan.this_plan_is_gone"), t("plan.it_was_deleted_or_you"));
      main.querySelector("h1").focus();
    }
  });
  return () => {
    stop();
    tab.stop();
    if (store.openPlan === planId) store.openPlan = null;
  };
}
