// The budget bar: what was spent against the budget, by category, and what is left; "Set
// budget" for any member (a stale version shows the budget someone else just set).

import { api } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { CURRENCIES, digitsOf, formatMoney, fromMinor, toMinor } from "../../lib/money.js";
import { toast } from "../../lib/toast.js";
import { installBudget } from "../../state/money.js";
import { changed, store } from "../../state/store.js";
import { CATEGORIES } from "./expense-dialog.js";

const categoryName = new Map(CATEGORIES);

function setBudget(planId, budget) {
  const currencies = CURRENCIES.map((code) => [code, code]);
  formDialog({
    title: "Set the budget",
    submitLabel: "Save budget",
    fields: [
      h(
        "div",
        { class: "field-row" },
        formField(
          "Budget",
          {
            name: "amount",
            inputmode: "decimal",
            value: budget.amount || "",
          },
          { hint: "Leave empty for no budget." },
        ),
        formField(
          "Currency",
          { name: "currency", value: budget.currency },
          { control: "select", options: currencies },
        ),
      ),
    ],
    onSubmit: async (data) => {
      const body = {
        amount: data.amount.trim() || null,
        currency: data.currency,
        version: budget.version,
      };
      try {
        installBudget(store, planId, await api.put(`plans/${planId}/budget`, body));
      } catch (error) {
        if (error.status !== 409 || !error.current) throw error;
        installBudget(store, planId, error.current);
        changed("money", planId);
        error.message =
          "Someone else set the budget meanwhile: it is shown now. Save again to change it.";
        throw error;
      }
      changed("money", planId);
      toast("Budget saved.");
    },
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
        `${categoryName.get(category) || category}: ${formatMoney(amount, balances.currency)}`,
      ),
    ),
  );
}

function headline(balances) {
  const { budget, spent, currency } = balances;
  const spentText = `Spent ${formatMoney(spent, currency)}`;
  if (budget === null) return h("p", { class: "budget-line" }, `${spentText} · no budget set`);
  const digits = digitsOf(currency);
  const left = toMinor(budget, digits) - toMinor(spent, digits);
  return h(
    "p",
    { class: "budget-line", dataset: { over: String(left < 0n) } },
    `${spentText} of ${formatMoney(budget, currency)} · `,
    h(
      "strong",
      { class: "budget-remaining" },
      left < 0n
        ? `${formatMoney(fromMinor(-left, digits), currency)} over budget`
        : `${formatMoney(fromMinor(left, digits), currency)} left`,
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
    replaceChildren(
      node,
      h(
        "div",
        { class: "section-head" },
        h("h2", { id: "budget-title" }, "Budget"),
        h(
          "button",
          {
            type: "button",
            class: "button button-secondary",
            onclick: () => setBudget(planId, budget),
          },
          budget.amount === null ? "Set budget" : "Change budget",
        ),
      ),
      headline(balances),
      h("div", { class: "budget-bar", "aria-hidden": "true" }, segments(balances, scale)),
      legend(balances),
    );
  }
  return { node, render };
}
