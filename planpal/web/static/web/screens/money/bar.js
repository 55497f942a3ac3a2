// The budget bar: what was spent against the budget, by category, and what is left; "Set
// budget" for any member (a stale version shows the budget someone else just set).

import { api } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatMoney } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { CURRENCIES, digitsOf, fromMinor, toMinor } from "../../lib/money.js";
import { toast } from "../../lib/toast.js";
import { installBudget } from "../../state/money.js";
import { changed, store } from "../../state/store.js";
import { categoryName } from "./categories.js";

async function saveBudget(planId, body) {
  try {
    installBudget(store, planId, await api.put(`plans/${planId}/budget`, body));
  } catch (error) {
    if (error.status !== 409 || !error.current) throw error;
    installBudget(store, planId, error.current);
    changed("money", planId);
    error.message = t("money.someone_else_set_the_budget");
    throw error;
  }
  changed("money", planId);
  toast(t("money.budget_saved"));
}

function setBudget(planId, budget) {
  const amount = formField(
    t("money.budget"),
    { name: "amount", inputmode: "decimal", value: budget.amount || "" },
    { hint: t("money.leave_empty_for_no_budget") },
  );
  const currency = formField(
    t("money.currency"),
    { name: "currency", value: budget.currency },
    { control: "select", options: CURRENCIES.map((code) => [code, code]) },
  );
  formDialog({
    title: t("money.set_the_budget"),
    submitLabel: t("money.save_budget"),
    fields: [h("div", { class: "field-row" }, amount, currency)],
    onSubmit: (data) =>
      saveBudget(planId, {
        amount: data.amount.trim() || null,
        currency: data.currency,
        version: budget.version,
      }),
  });
}

/** Segments of the bar: each category's part of max(budget, spent). */
function segments(balances, scale) {
  const digits = digitsOf(balances.currency);
  return Object.entries(balances.by_category)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, amount]) => {
      const width = scale > 0n ? Number((toMinor(amount, digits) * 10000n) / scale) / 100 : 0;
      const segment = h("span", {
        class: `budget-segment category-${category}`,
        dataset: { category },
      });
      segment.style.width = `${width}%`; // through the CSSOM: the CSP refuses style attributes
      return segment;
    });
}

function legend(balances) {
  return h(
    "ul",
    { class: "budget-legend" },
    Object.entries(balances.by_category).map(([category, amount]) =>
      h(
        "li",
        { dataset: { category } },
        h("span", { class: `budget-swatch category-${category}`, "aria-hidden": "true" }),
        `${categoryName(category)}: ${formatMoney(amount, balances.currency)}`,
      ),
    ),
  );
}

function headline(balances) {
  const { budget, spent, currency } = balances;
  if (budget === null) {
    const params = { spent: formatMoney(spent, currency) };
    return h("p", { class: "budget-line" }, t("money.spent_no_budget", params));
  }
  const digits = digitsOf(currency);
  const money = (units) => formatMoney(fromMinor(units, digits), currency);
  const left = toMinor(budget, digits) - toMinor(spent, digits);
  const params = { spent: formatMoney(spent, currency), budget: formatMoney(budget, currency) };
  return h(
    "p",
    { class: "budget-line", dataset: { over: String(left < 0n) } },
    t("money.spent_of_budget", params),
    " · ",
    h(
      "strong",
      { class: "budget-remaining" },
      left < 0n
        ? t("money.amount_over_budget", { amount: money(-left) })
        : t("money.amount_left", { amount: money(left) }),
    ),
  );
}

export function budgetBar(planId) {
  const node = h("section", { class: "budget card", "aria-labelledby": "budget-title" });
  function render() {
    const record = store.money.get(planId);
    if (!record?.balances || !record.budget) return;
    const { balances, budget } = record;
    const digits = digitsOf(balances.currency);
    const spent = toMinor(balances.spent, digits);
    const limit = balances.budget === null ? spent : toMinor(balances.budget, digits);
    const scale = spent > limit ? spent : limit;
    const change = () => setBudget(planId, store.money.get(planId).budget);
    replaceChildren(
      node,
      h(
        "div",
        { class: "section-head" },
        h("h2", { id: "budget-title" }, t("money.budget")),
        h(
          "button",
          { type: "button", class: "button button-secondary", onclick: change },
          budget.amount === null ? t("money.set_budget") : t("money.change_budget"),
        ),
      ),
      headline(balances),
      h("div", { class: "budget-bar", "aria-hidden": "true" }, segments(balances, scale)),
      legend(balances),
    );
  }
  return { node, render };
}
