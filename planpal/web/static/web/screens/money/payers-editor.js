// "Several people paid": how much each payer put in (in the expense's currency), with the sum
// against the amount shown as the user types; the server wants them to add up exactly.

import { h } from "../../lib/dom.js";
import { formatMoney } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { digitsOf, fromMinor, toMinor } from "../../lib/money.js";

/** {problem, sum} of the payers' amounts against the expense's amount (texts as typed). */
export function payersCheck(amount, currency, values) {
  const digits = digitsOf(currency);
  const total = toMinor(amount, digits);
  const typed = [...values].filter(([, text]) => String(text ?? "").trim());
  const units = typed.map(([, text]) => toMinor(text, digits));
  if (!typed.length) return { problem: "none" };
  if (units.some((value) => value === null || value <= 0n)) return { problem: "value" };
  const sum = units.reduce((a, b) => a + b, 0n);
  if (total === null || sum !== total) return { problem: "sum", sum };
  return { problem: null, sum };
}

function statusText(check, currency) {
  if (check.problem === "none") return t("money.payers.enter_who_paid");
  if (check.problem === "value") return t("money.payers.amounts_above_zero");
  const sum = formatMoney(fromMinor(check.sum, digitsOf(currency)), currency);
  if (check.problem === "sum") return t("money.payers.sum_differs", { sum });
  return t("money.payers.add_up");
}

/** `people`: [{id, name}]; `payers`: an expense's payers to start from; `amount()` and
 *  `currency()` read the dialog's fields. Answers {node, render(), value()}. */
export function payersEditor({ people, payers = [], amount, currency }) {
  const values = new Map(payers.map((payer) => [payer.user_id, payer.amount]));
  const status = h("p", { class: "split-status", "aria-live": "polite" });
  function render() {
    const check = payersCheck(amount(), currency(), values);
    status.textContent = statusText(check, currency());
    status.dataset.ok = String(!check.problem);
  }
  const row = (person) => {
    const input = h("input", {
      class: "split-value",
      inputmode: "decimal",
      value: values.get(person.id) || "",
      "aria-label": t("money.payers.amount_paid_by", { name: person.name }),
    });
    input.addEventListener("input", () => {
      values.set(person.id, input.value);
      render();
    });
    return h("li", { class: "payer" }, h("span", {}, person.name), input);
  };
  const node = h(
    "fieldset",
    { class: "split-editor field payers-editor", dataset: { field: "payers" } },
    h("legend", {}, t("money.payers.who_paid_how_much")),
    h("ul", { class: "split-people" }, people.map(row)),
    status,
    h("p", { class: "field-error", id: "payers-error", hidden: true }),
  );
  const value = () =>
    people
      .filter((person) => String(values.get(person.id) ?? "").trim())
      .map((person) => ({ user_id: person.id, amount: values.get(person.id).trim() }));
  render();
  return { node, render, value };
}
