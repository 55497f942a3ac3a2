// The "Add expense" / "Edit expense" dialog: what, how much (in any known currency, with the
// rate to the plan's currency when it differs), who paid, and the split editor. A stale edit
// (409) reopens the dialog on the server's version with a note, so nobody's change is lost.

import { api, newClientId } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { fromLocalInput, toLocalInput } from "../../lib/format.js";
import { CURRENCIES } from "../../lib/money.js";
import { toast } from "../../lib/toast.js";
import { keepItem } from "../../state/money.js";
import { changed, store } from "../../state/store.js";
import { splitEditor } from "./split-editor.js";

export const CATEGORIES = [
  ["food", "Food"],
  ["transport", "Transport"],
  ["lodging", "Lodging"],
  ["activities", "Activities"],
  ["shopping", "Shopping"],
  ["other", "Other"],
];

function rateField(base, money) {
  const field = formField(
    "Rate",
    { name: "rate", inputmode: "decimal", value: base.rate ? String(Number(base.rate)) : "" },
    { hint: "What one unit of the expense's currency is worth in the plan's currency." },
  );
  const sync = (currency) => {
    field.hidden = currency === money.currency;
    field.querySelector("label").textContent = `Rate: 1 ${currency} in ${money.currency}`;
  };
  return { field, sync };
}

function choices(money, base) {
  const payers = money.people.map((person) => [person.id, person.name]);
  if (base.id && base.paid_by === null) payers.unshift(["", "Several people (unchanged)"]);
  const activities = [["", "None"]];
  for (const activity of money.activities()) activities.push([activity.id, activity.title]);
  return { payers, activities };
}

function fields(base, money, rate, editor, conflict) {
  const { payers, activities } = choices(money, base);
  const select = (label, name, value, options) =>
    formField(label, { name, value: value ?? "" }, { control: "select", options });
  const currencies = CURRENCIES.map((code) => [code, code]);
  return [
    conflict,
    formField("What", { name: "title", required: true, maxlength: "200", value: base.title }),
    h(
      "div",
      { class: "field-row" },
      formField("Amount", {
        name: "amount",
        inputmode: "decimal",
        required: true,
        value: base.amount,
      }),
      select("Currency", "currency", base.currency, currencies),
    ),
    rate.field,
    h(
      "div",
      { class: "field-row" },
      select("Paid by", "paid_by", base.paid_by, payers),
      select("Category", "category", base.category, CATEGORIES),
    ),
    formField("When", {
      name: "spent_at",
      type: "datetime-local",
      required: true,
      value: toLocalInput(base.spent_at, money.zone),
    }),
    activities.length > 1
      ? select("For the activity", "activity", base.activity, activities)
      : null,
    editor.node,
    formField(
      "Note",
      { name: "note", rows: "2", maxlength: "2000", value: base.note || "" },
      { control: "textarea" },
    ),
  ];
}

function body(data, money, editor, editing) {
  const result = {
    title: data.title,
    amount: data.amount.trim(),
    currency: data.currency,
    rate: data.currency === money.currency ? null : data.rate.trim() || null,
    category: data.category,
    spent_at: fromLocalInput(data.spent_at, money.zone),
    activity: data.activity ? Number(data.activity) : null,
    note: data.note || "",
    split: editor.value(),
  };
  if (data.paid_by) result.paid_by = Number(data.paid_by);
  if (!editing) result.client_id = newClientId();
  return result;
}

function keep(planId, expense) {
  const record = store.money.get(planId);
  if (record && keepItem(record, "expenses", expense)) changed("money", planId);
}

async function save(money, expense, payload) {
  try {
    keep(
      money.planId,
      await api.patch(`expenses/${expense.id}`, { ...payload, version: expense.version }),
    );
    toast("Expense saved.");
  } catch (error) {
    if (error.status !== 409 || !error.current) throw error;
    keep(money.planId, error.current);
    expenseDialog(money, error.current, { conflict: true });
  }
}

/** `money`: {planId, currency (the plan's), zone, people: [{id, name}], activities()}. */
export function expenseDialog(money, expense = null, { conflict = false } = {}) {
  const editing = expense !== null;
  const base = expense || {
    title: "",
    amount: "",
    currency: money.currency,
    paid_by: store.me?.id,
    category: "other",
    spent_at: new Date().toISOString(),
  };
  const notice = conflict
    ? h(
        "p",
        { class: "conflict", role: "alert", tabindex: "-1" },
        "Someone else changed this expense while you were editing. This is their version; " +
          "make your change again and save.",
      )
    : null;
  const rate = rateField(base, money);
  let form = null;
  const read = (name) => (form ? form.elements[name].value : base[name]);
  const editor = splitEditor({
    people: money.people,
    split: expense?.split,
    amount: () => read("amount"),
    currency: () => read("currency"),
  });
  ({ form } = formDialog({
    title: editing ? `Edit “${base.title}”` : "Add expense",
    submitLabel: editing ? "Save changes" : "Add expense",
    fields: fields(base, money, rate, editor, notice),
    onSubmit: async (data) => {
      const payload = body(data, money, editor, editing);
      if (editing) return save(money, expense, payload);
      keep(money.planId, await api.post(`plans/${money.planId}/expenses`, payload));
      toast(`Added ${payload.title}.`);
    },
  }));
  rate.sync(base.currency);
  form.addEventListener("input", () => editor.render());
  form.elements.currency.addEventListener("change", (event) => {
    rate.sync(event.target.value);
    editor.render();
  });
  editor.render();
  notice?.focus();
}
