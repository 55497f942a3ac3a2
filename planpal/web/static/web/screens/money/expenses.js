// The live expense list: newest first, each with who paid, how it is split and my share; its
// creator and the plan's managers edit and delete it (with the version seen, so a delete never
// removes a change the user has not seen).

import { api } from "../../api.js";
import { confirmDialog } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatMoney, formatShort } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { attempt, toast } from "../../lib/toast.js";
import { dropItem, expensesOf, keepItem } from "../../state/money.js";
import { changed, store } from "../../state/store.js";
import { categoryName } from "./categories.js";
import { expenseDialog } from "./expense-dialog.js";

const SPLIT_TEXT = {
  equal: (count) => t("money.split_equally_between", { count }),
  shares: (count) => t("money.split_by_shares_between", { count }),
  percent: (count) => t("money.split_by_percent_between", { count }),
  exact: (count) => t("money.split_exactly_between", { count }),
};

async function deleteExpense(page, expense) {
  const sure = await confirmDialog(
    t("money.delete_title", { title: expense.title }),
    t("money.balances_change_back"),
    t("money.delete"),
  );
  if (!sure) return;
  const record = store.money.get(page.planId);
  try {
    await api.del(`expenses/${expense.id}?version=${expense.version}`);
  } catch (error) {
    if (error.status !== 409 || !error.current) return attempt(() => Promise.reject(error));
    if (keepItem(record, "expenses", error.current)) changed("money", page.planId);
    return toast(t("money.changed_before_delete"), { error: true });
  }
  if (dropItem(record, "expenses", expense.id)) changed("money", page.planId);
  toast(t("money.deleted_title", { title: expense.title }));
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
  const ids = expense.payers.map((payer) => payer.user_id);
  if (ids.length === 1 && ids[0] === store.me?.id) return t("money.you_paid");
  return t("money.names_paid", { names: ids.map((id) => page.nameOf(id)).join(", ") });
}

function details(page, expense) {
  const mine = expense.shares.find((share) => share.user_id === store.me?.id);
  const count = expense.shares.length;
  return [
    paidBy(page, expense),
    SPLIT_TEXT[expense.split.strategy](count),
    mine
      ? t("money.your_share_amount", {
          amount: formatMoney(mine.plan_amount, expense.plan_currency),
        })
      : null,
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

function actions(page, expense) {
  const canChange = expense.created_by?.id === store.me?.id || page.canManage();
  if (!canChange) return null;
  const title = expense.title;
  const small = (label, name, onclick) =>
    h(
      "button",
      { type: "button", class: "button button-quiet", onclick, "aria-label": name },
      label,
    );
  return h(
    "div",
    { class: "actions" },
    small(t("money.edit"), t("money.edit_title", { title }), () => editExpense(page, expense)),
    small(t("money.delete"), t("money.delete_named", { title }), () =>
      deleteExpense(page, expense),
    ),
  );
}

function expenseRow(page, expense) {
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
        categoryName(expense.category),
      ),
      h("strong", { class: "expense-amount" }, amountOf(expense)),
    ),
    h("p", { class: "muted expense-details" }, details(page, expense)),
    expense.note ? h("p", { class: "expense-note" }, expense.note) : null,
    actions(page, expense),
  );
}

export function expenseList(page) {
  const list = h("ul", { class: "expenses", "aria-label": t("money.expenses") });
  const add = () => expenseDialog(page.dialogContext());
  const csv = api.href(`plans/${page.planId}/expenses.csv`);
  const node = h(
    "section",
    { class: "expenses-section", "aria-labelledby": "expenses-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "expenses-title" }, t("money.expenses")),
      h("a", { class: "button button-quiet", href: csv, download: "" }, t("money.export_csv")),
      h(
        "button",
        { type: "button", class: "button button-primary", onclick: add },
        t("money.add_expense"),
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
        : h("li", { class: "muted" }, t("money.no_expenses_yet")),
    );
  }
  return { node, render };
}
