// The "Add expense" / "Edit expense" dialog: what, how much (in any known currency, with the
// rate to the plan's currency when it differs), who paid, and the split editor. A stale edit
// (409) reopens the dialog on the server's version with a note, so nobody's change is lost.

import { api, newClientId } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { fromLocalInput, toLocalInput } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { CURRENCIES } from "../../lib/money.js";
import { toast } from "../../lib/toast.js";
import { keepItem } from "../../state/money.js";
import { changed, store } from "../../state/store.js";
import { CATEGORIES } from "./categories.js";
import { payersEditor } from "./payers-editor.js";
import { splitEditor } from "./split-editor.js";

function rateField(base, money) {
  const field = formField(
    t("money.rate"),
    { name: "rate", inputmode: "decimal", value: base.rate ? String(Number(base.rate)) : "" },
    { hint: t("money.rate_hint") },
  );
  const sync = (currency) => {
    field.hidden = currency === money.currency;
    field.querySelector("label").textContent = t("money.rate_one_in_plan", {
      currency,
      plan: money.currency,
    });
  };
  return { field, sync };
}

function choices(money) {
  const payers = money.people.map((person) => [person.id, person.name]);
  payers.push([SEVERAL, t("money.several_people")]);
  const activities = [["", t("money.no_activity")]];
  for (const activity of money.activities()) activities.push([activity.id, activity.title]);
  return { payers, activities };
}

const SEVERAL = "several";

function fields(base, money, rate, editors, conflict) {
  const { payers, activities } = choices(money);
  const select = (label, name, value, options) =>
    formField(label, { name, value: value ?? "" }, { control: "select", options });
  const currencies = CURRENCIES.map((code) => [code, code]);
  const amount = { name: "amount", inputmode: "decimal", required: true, value: base.amount };
  const title = { name: "title", required: true, maxlength: "200", value: base.title };
  const when = { name: "spent_at", type: "datetime-local", required: true };
  when.value = toLocalInput(base.spent_at, money.zone);
  return [
    conflict,
    formField(t("money.what"), title),
    h(
      "div",
      { class: "field-row" },
      formField(t("money.amount"), amount),
      select(t("money.currency"), "currency", base.currency, currencies),
    ),
    rate.field,
    h(
      "div",
      { class: "field-row" },
      select(t("money.paid_by"), "paid_by", base.paid_by ?? SEVERAL, payers),
      select(t("money.category"), "category", base.category, CATEGORIES),
    ),
    editors.payers.node,
    formField(t("money.when"), when),
    activities.length > 1
      ? select(t("money.for_the_activity"), "activity", base.activity, activities)
      : null,
    editors.split.node,
    formField(
      t("money.note"),
      { name: "note", rows: "2", maxlength: "2000", value: base.note || "" },
      { control: "textarea" },
    ),
  ];
}

function body(data, money, editors, editing) {
  const result = {
    title: data.title,
    amount: data.amount.trim(),
    currency: data.currency,
    rate: data.currency === money.currency ? null : data.rate.trim() || null,
    category: data.category,
    spent_at: fromLocalInput(data.spent_at, money.zone),
    activity: data.activity ? Number(data.activity) : null,
    note: data.note || "",
    split: editors.split.value(),
  };
  if (data.paid_by === SEVERAL) result.payers = editors.payers.value();
  else result.paid_by = Number(data.paid_by);
  if (!editing) result.client_id = newClientId();
  return result;
}

function keep(planId, expense) {
  const record = store.money.get(planId);
  if (record && keepItem(record, "expenses", expense)) changed("money", planId);
}

async function save(money, expense, payload) {
  try {
    const saved = await api.patch(`expenses/${expense.id}`, {
      ...payload,
      version: expense.version,
    });
    keep(money.planId, saved);
    toast(t("money.expense_saved"));
  } catch (error) {
    if (error.status !== 409 || !error.current) throw error;
    keep(money.planId, error.current);
    expenseDialog(money, error.current, { conflict: true });
  }
}

function newExpense(money) {
  return {
    title: "",
    amount: "",
    currency: money.currency,
    paid_by: store.me?.id,
    category: "other",
    spent_at: new Date().toISOString(),
  };
}

/** `money`: {planId, currency (the plan's), zone, people: [{id, name}], activities()}. */
export function expenseDialog(money, expense = null, { conflict = false } = {}) {
  const editing = expense !== null;
  const base = expense || newExpense(money);
  const notice = conflict
    ? h("p", { class: "conflict", role: "alert", tabindex: "-1" }, t("money.expense_conflict"))
    : null;
  const rate = rateField(base, money);
  let form = null;
  const read = (name) => (form ? form.elements[name].value : base[name]);
  const typed = { amount: () => read("amount"), currency: () => read("currency") };
  const editors = {
    split: splitEditor({ people: money.people, split: expense?.split, ...typed }),
    payers: payersEditor({ people: money.people, payers: expense?.payers, ...typed }),
  };
  ({ form } = formDialog({
    title: editing ? t("money.edit_title", { title: base.title }) : t("money.add_expense"),
    submitLabel: editing ? t("money.save_changes") : t("money.add_expense"),
    fields: fields(base, money, rate, editors, notice),
    onSubmit: async (data) => {
      const payload = body(data, money, editors, editing);
      if (editing) return save(money, expense, payload);
      keep(money.planId, await api.post(`plans/${money.planId}/expenses`, payload));
      toast(t("money.added_title", { title: payload.title }));
    },
  }));
  rate.sync(base.currency);
  const several = () => (editors.payers.node.hidden = form.elements.paid_by.value !== SEVERAL);
  const render = () => {
    editors.split.render();
    editors.payers.render();
  };
  form.addEventListener("input", render);
  form.elements.paid_by.addEventListener("change", several);
  form.elements.currency.addEventListener("change", (event) => {
    rate.sync(event.target.value);
    render();
  });
  several();
  render();
  notice?.focus();
}
