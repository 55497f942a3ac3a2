// The split editor of the expense dialog: who shares the expense (a checkbox per member), how
// (equally, by shares, by percent, exact amounts), and each person's share shown as the user
// types, computed by the server's own remainder rule (lib/money.js previewSplit), so what the
// preview says is what gets stored.

import { h, replaceChildren } from "../../lib/dom.js";
import { formatMoney, formatNumber } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { fromMinor, digitsOf, previewSplit } from "../../lib/money.js";
import { segmented } from "../../lib/widgets.js";

const STRATEGIES = [
  ["equal", t("money.split.equally")],
  ["shares", t("money.split.by_shares")],
  ["percent", t("money.split.by_percent")],
  ["exact", t("money.split.exact_amounts")],
];

/** The label of a person's value field: "Bob: shares", "Bob: %", "Bob: amount". */
const VALUE_LABEL = {
  equal: (name) => t("money.split.value_shares", { name }),
  shares: (name) => t("money.split.value_shares", { name }),
  percent: (name) => t("money.split.value_percent", { name }),
  exact: (name) => t("money.split.value_amount", { name }),
};

const PROBLEMS = {
  "no-participants": () => t("money.split.choose_who_shares"),
  amount: () => t("money.split.enter_the_amount"),
  value: (strategy) =>
    strategy === "shares" ? t("money.split.whole_shares") : t("money.split.values_above_zero"),
  "percent-sum": (_, preview) =>
    t("money.split.percent_sum", {
      sum: formatNumber(Number(fromMinor(preview.sum, 2)), { maximumFractionDigits: 2 }),
    }),
  "exact-sum": (_, preview, currency) =>
    t("money.split.exact_sum", {
      sum: formatMoney(fromMinor(preview.sum, digitsOf(currency)), currency),
    }),
};

/** The starting state: an expense's split, or everyone equally. */
function initialState(people, split) {
  const values = new Map();
  const chosen = new Set();
  if (split) {
    for (const { user_id, value } of split.participants) {
      chosen.add(user_id);
      if (value !== null && value !== undefined) values.set(user_id, String(value));
    }
    return { strategy: split.strategy, chosen, values };
  }
  for (const person of people) chosen.add(person.id);
  return { strategy: "equal", chosen, values };
}

function personRow(person, state, onInput) {
  const id = `split-${person.id}`;
  const value = h("input", {
    class: "split-value",
    inputmode: "decimal",
    value: state.values.get(person.id) || "",
    "aria-label": VALUE_LABEL[state.strategy](person.name),
    hidden: state.strategy === "equal" || !state.chosen.has(person.id),
    dataset: { key: `split-value-${person.id}` },
  });
  value.addEventListener("input", () => {
    state.values.set(person.id, value.value);
    onInput();
  });
  const box = h("input", { type: "checkbox", id, checked: state.chosen.has(person.id) });
  box.addEventListener("change", () => {
    if (box.checked) state.chosen.add(person.id);
    else state.chosen.delete(person.id);
    value.hidden = state.strategy === "equal" || !box.checked;
    onInput();
  });
  const share = h("output", { class: "split-share", for: id, dataset: { user: person.id } });
  return {
    node: h(
      "li",
      { class: "split-person" },
      box,
      h("label", { for: id }, person.name),
      value,
      share,
    ),
    share,
  };
}

/** The API's `split` from the editor's state. */
function apiSplit(state, participants) {
  return {
    strategy: state.strategy,
    participants: participants.map(({ user_id, value }) => {
      if (state.strategy === "equal") return { user_id };
      const text = String(value ?? "").trim();
      return { user_id, value: state.strategy === "shares" ? Number(text) : text };
    }),
  };
}

/** A new way to split starts from something sensible: one share each, or for exact amounts
 *  the shares shown until now (the user then moves units between people). */
function startValues(state, chosen, before, currency) {
  state.strategy = chosen;
  state.values.clear();
  for (const [id, units] of before.shares) {
    if (chosen === "shares") state.values.set(id, "1");
    if (chosen === "exact" && units !== null) {
      state.values.set(id, fromMinor(units, digitsOf(currency)));
    }
  }
}

function showShares(rows, preview, state, currency) {
  for (const [id, { share }] of rows) {
    const units = preview.shares.get(id);
    share.textContent =
      units === undefined || units === null
        ? ""
        : formatMoney(fromMinor(units, digitsOf(currency)), currency);
  }
}

function showStatus(status, preview, state, currency) {
  status.textContent = preview.problem
    ? PROBLEMS[preview.problem](state.strategy, preview, currency)
    : t("money.split.shares_add_up", { count: preview.shares.size });
  status.dataset.ok = String(!preview.problem);
}

/** `people`: [{id, name}] who may share; `amount()` and `currency()` read the dialog's fields.
 *  Answers {node, render(), value()}: value() is the API's `split`. */
export function splitEditor({ people, split = null, amount, currency }) {
  const state = initialState(people, split);
  const list = h("ul", { class: "split-people" });
  const status = h("p", { class: "split-status", "aria-live": "polite" });
  const rows = new Map();
  const participants = () =>
    people
      .filter((person) => state.chosen.has(person.id))
      .map((person) => ({ user_id: person.id, value: state.values.get(person.id) }));
  const preview = () =>
    previewSplit({
      amount: amount(),
      currency: currency(),
      strategy: state.strategy,
      participants: participants(),
    });
  function render() {
    const shown = preview();
    showShares(rows, shown, state, currency());
    showStatus(status, shown, state, currency());
  }
  function build() {
    rows.clear();
    replaceChildren(
      list,
      people.map((person) => {
        const row = personRow(person, state, render);
        rows.set(person.id, row);
        return row.node;
      }),
    );
    render();
  }
  const switchTo = (chosen) => {
    startValues(state, chosen, preview(), currency());
    build();
  };
  const strategy = segmented(
    "split-strategy",
    t("money.split.how_to_split"),
    STRATEGIES,
    state.strategy,
    switchTo,
  );
  build();
  const node = h(
    "fieldset",
    { class: "split-editor field", dataset: { field: "split" } },
    h("legend", {}, t("money.split.split_between")),
    strategy,
    list,
    status,
    h("p", { class: "field-error", id: "split-error", hidden: true }),
  );
  return { node, render, value: () => apiSplit(state, participants()) };
}
