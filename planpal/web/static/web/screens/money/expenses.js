// The live expense list: newest first, each with who paid, how it is split and my share; its
// creator and the plan's managers edit and delete it (with the version seen, so a delete never
// removes a change the user has not seen).

import { api } from "../../api.js";
import { confirmDialog } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatShort } from "../../lib/format.js";
import { formatMoney } from "../../lib/money.js";
import { attempt, toast } from "../../lib/toast.js";
import { dropItem, expensesOf, keepItem } from "../../state/money.js";
import { changed, store } from "../../state/store.js";
import { CATEGORIES, expenseDialog } from "./expense-dialog.js";
import { STRATEGIES } from "./split-editor.js";

const categoryName = new Map(CATEGORIES);
const strategyName = new Map(STRATEGIES);

async function deleteExpense(page, expense) {
  const sure = await confirmDialog(
    `Delete “${expense.title}”?`,
    "Everyone's balances change back.",
    "Delete",
  );
  if (!sure) return;
  try {
    await api.del(`expenses/${expense.id}?version=${expense.version}`);
  } catch (error) {
    if (error.status !== 409 || !error.current) return attempt(() => Promise.reject(error));
    keepItem(store.money.get(page.planId), "expenses", error.current);
    changed("money", page.planId);
    return toast("Someone changed this expense meanwhile: look at it again before deleting.", {
      error: true,
    });
  }
  if (dropItem(store.money.get(page.planId), "expenses", expense.id)) changed("money", page.planId);
  toast(`Deleted ${expense.title}.`);
}

/** Open the edit dialog on the freshest copy (GET expenses/{id}): the list may lag a moment. */
async function editExpense(page, expense) {
  const fresh = await attempt(() => api.get(`expenses/${expense.id}`));
  if (!fresh) return;
  const record = store.money.get(page.planId);
  if (keepItem(record, "expenses", fresh)) changed("money", page.planId);
  expenseDialog(page.dialogContext(), record.expenses.get(expense.id) || fresh);
}

function paidBy(page, expense) {
  const names = expense.payers.map((payer) => page.nameOf(payer.user_id));
  return names.length === 1 ? `${names[0]} paid` : `${names.join(", ")} paid`;
}

function details(page, expense) {
  const mine = expense.shares.find((share) => share.user_id === store.me?.id);
  const split = `${strategyName.get(expense.split.strategy).toLowerCase()} between ${expense.shares.length}`;
  return [
    paidBy(page, expense),
    `split ${split}`,
    mine ? `your share ${formatMoney(mine.plan_amount, expense.plan_currency)}` : null,
    formatShort(expense.spent_at, page.zone()),
  ]
    .filter(Boolean)
    .join(" · ");
}

function amountOf(expense) {
  const own = formatMoney(expense.amount, expense.currency);
  if (expense.currency === expense.plan_currency) return own;
  return `${own} (${formatMoney(expense.plan_amount, expense.plan_currency)})`;
}

function expenseRow(page, expense) {
  const small = (label, onclick, name) =>
    h(
      "button",
      { type: "button", class: "button button-quiet", onclick, "aria-label": `${label} ${name}` },
      label,
    );
  const canChange = expense.created_by?.id === store.me?.id || page.canManage();
  return h(
    "li",
    { class: "expense", dataset: { expense: expense.id } },
    h(
      "div",
      { class: "expense-head" },
      h("span", { class: "expense-title" }, expense.title),
      h(
        "span",
        { class: `badge category-badge category-${expense.category}` },
        categoryName.get(expense.category),
      ),
      h("strong", { class: "expense-amount" }, amountOf(expense)),
    ),
    h("p", { class: "muted expense-details" }, details(page, expense)),
    expense.note ? h("p", { class: "expense-note" }, expense.note) : null,
    canChange
      ? h(
          "div",
          { class: "actions" },
          small("Edit", () => editExpense(page, expense), expense.title),
          small("Delete", () => deleteExpense(page, expense), expense.title),
        )
      : null,
  );
}

export function expenseList(page) {
  const list = h("ul", { class: "expenses", "aria-label": "Expenses" });
  const node = h(
    "section",
    { class: "expenses-section", "aria-labelledby": "expenses-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "expenses-title" }, "Expenses"),
      h(
        "a",
        {
          class: "button button-quiet",
          href: api.href(`plans/${page.planId}/expenses.csv`),
          download: "",
        },
        "Export CSV",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button button-primary",
          onclick: () => expenseDialog(page.dialogContext()),
        },
        "Add expense",
      ),
    ),
    list,
  );
  function render() {
    const record = store.money.get(page.planId);
    if (!record) return;
    const expenses = expensesOf(record);
    replaceChildren(
      list,
      expenses.length
        ? expenses.map((expense) => expenseRow(page, expense))
        : h("li", { class: "muted" }, "No expenses yet."),
    );
  }
  return { node, render };
}
