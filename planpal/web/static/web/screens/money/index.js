// The plan page's Budget tab (docs/money.md): the budget bar, the expenses, balances and
// settle-up. Loaded on first open, then kept live by the plan's money events (state/money.js):
// another member's expense or payment appears here without a reload.

import { h } from "../../lib/dom.js";
import { displayName, safeZone } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { attempt } from "../../lib/toast.js";
import { loadMembers, loadMoney } from "../../state/live.js";
import { onChange, store } from "../../state/store.js";
import { balancesSection } from "./balances.js";
import { budgetBar } from "./bar.js";
import { expenseList } from "./expenses.js";

/** Who may share an expense: a group plan's group members, a personal plan's creator and
 *  participants. Until a group's members have loaded, the balances' members (the plan's
 *  current members, and anyone who left with a debt: the server refuses those). */
function peopleOf(plan) {
  const members = plan.group ? store.members.get(plan.group)?.items : null;
  const balances = store.money.get(plan.id)?.balances?.members || [];
  const users = !plan.group
    ? [plan.creator, ...(plan.participants || [])].filter(Boolean)
    : members
      ? [...members.values()].map((member) => member.user)
      : balances.map((row) => row.user);
  return users
    .map((user) => ({ id: user.id, name: displayName(user) }))
    .sort((a, b) => a.id - b.id);
}

/** The screen's view of the plan and its people, handed to the sections and dialogs. */
function moneyPage(view) {
  const plan = () => view.record().data;
  const page = {
    planId: view.planId,
    zone: () => safeZone(plan().timezone),
    canManage: () => Boolean(plan().can_manage),
    people: () => peopleOf(plan()),
    nameOf(userId) {
      const known = page.people().find((person) => person.id === userId);
      if (known) return known.name;
      const member = store.money
        .get(view.planId)
        ?.balances?.members.find((m) => m.user.id === userId);
      return displayName(member?.user); // "Someone" for a user we do not know
    },
    dialogContext: () => {
      const record = store.money.get(view.planId);
      return {
        planId: view.planId,
        currency: record?.balances?.currency || record?.budget?.currency || "VND",
        zone: page.zone(),
        people: page.people(),
        activities: () => [...(view.record().activities?.values() || [])],
      };
    },
  };
  return page;
}

export function budgetTab(view) {
  const page = moneyPage(view);
  const bar = budgetBar(view.planId);
  const expenses = expenseList(page);
  const balances = balancesSection(page);
  const loading = h("p", { class: "loading" }, t("money.loading_the_budget"));
  const node = h("div", { class: "money" }, loading, bar.node, expenses.node, balances.node);
  function render() {
    const ready = Boolean(store.money.get(view.planId)?.balances);
    loading.hidden = ready;
    bar.render();
    expenses.render();
    balances.render();
  }
  const stop = onChange(({ kind, id }) => {
    if ((kind === "money" || kind === "plan") && id === view.planId) render();
    const group = view.record().data.group;
    if (kind === "members" && group && id === group) render();
  });
  const group = view.record().data.group;
  if (group && !store.members.has(group)) attempt(() => loadMembers(group));
  attempt(() => loadMoney(view.planId));
  render();
  return { node, render, stop };
}
