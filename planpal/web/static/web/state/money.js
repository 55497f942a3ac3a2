// Money on a trip (docs/money.md): a plan's budget, expenses, payments and balances, installed
// from REST and kept live by the plan.budget_* / expense_* / settlement_* events, which carry
// the whole new balances. Each part remembers the seq its copy reflects (a replayed or
// overlapping event changes nothing), expenses also their versions, and deleted ids stay
// deleted (a late event about them must not bring them back). Pure: no DOM, no network.

/** The money record of a plan, created empty on first use. */
export function moneyOf(store, planId) {
  if (!store.money.has(planId)) {
    store.money.set(planId, {
      budget: null,
      balances: null,
      expenses: new Map(),
      settlements: new Map(),
      gone: { expenses: new Set(), settlements: new Set() },
      seq: { budget: -1, balances: -1, expenses: -1, settlements: -1 },
    });
  }
  return store.money.get(planId);
}

const withoutStream = ({ stream: _, ...rest }) => rest;
const BALANCE_FIELDS = ["spent", "remaining", "by_category"];

/** GET plans/{id}/budget (or a PUT's answer: no stream). */
export function installBudget(store, planId, answer) {
  const record = moneyOf(store, planId);
  const budget = withoutStream(answer);
  for (const field of BALANCE_FIELDS) delete budget[field];
  if (!record.budget || budget.version >= record.budget.version) record.budget = budget;
  if (answer.stream) record.seq.budget = Math.max(record.seq.budget, answer.stream.seq);
}

/** GET plans/{id}/balances. */
export function installBalances(store, planId, answer) {
  const record = moneyOf(store, planId);
  if (answer.stream.seq < record.seq.balances) return;
  record.balances = withoutStream(answer);
  record.seq.balances = answer.stream.seq;
}

/** GET plans/{id}/expenses or …/settlements: `kind` is "expenses" or "settlements". */
export function installList(store, planId, kind, answer) {
  const record = moneyOf(store, planId);
  if (answer.stream.seq < record.seq[kind]) return;
  const previous = record[kind];
  record[kind] = new Map();
  for (const item of answer.results) {
    const held = previous.get(item.id);
    if (record.gone[kind].has(item.id)) continue;
    record[kind].set(item.id, held && held.version > item.version ? held : item);
  }
  record.seq[kind] = answer.stream.seq;
}

/** An expense or settlement from a REST answer or an event, unless a newer one is held. */
export function keepItem(record, kind, item) {
  if (record.gone[kind].has(item.id)) return false;
  const held = record[kind].get(item.id);
  if (held && held.version >= item.version) return false;
  record[kind].set(item.id, item);
  return true;
}

export function dropItem(record, kind, id) {
  record.gone[kind].add(id);
  return record[kind].delete(id);
}

/** Expenses newest first (spent_at, then id), as the server lists them. */
export function expensesOf(record) {
  return [...record.expenses.values()].sort(
    (a, b) => b.spent_at.localeCompare(a.spent_at) || b.id - a.id,
  );
}

export function settlementsOf(record) {
  return [...record.settlements.values()].sort((a, b) => b.id - a.id);
}

/** An event on plan:<id> for money: `apply(record, data)` changes the parts the event is newer
 *  for; the balances are replaced by the event's own. */
function onMoney(part, apply) {
  return (ctx, frame) => {
    if (ctx.topic.kind !== "plan" || !ctx.store.money.has(ctx.topic.id)) return;
    const record = ctx.store.money.get(ctx.topic.id);
    let touched = false;
    if (part && frame.seq > record.seq[part]) {
      record.seq[part] = frame.seq;
      apply(record, frame.data);
      touched = true;
    }
    if (frame.data.balances && frame.seq > record.seq.balances) {
      record.seq.balances = frame.seq;
      record.balances = frame.data.balances;
      touched = true;
    }
    if (touched) ctx.changed("money", ctx.topic.id);
  };
}

export const reducers = {
  "plan.budget_updated": onMoney("budget", (record, data) => {
    if (!record.budget || data.budget.version > record.budget.version) record.budget = data.budget;
  }),
  "plan.expense_added": onMoney("expenses", (record, data) =>
    keepItem(record, "expenses", data.expense),
  ),
  "plan.expense_updated": onMoney("expenses", (record, data) =>
    keepItem(record, "expenses", data.expense),
  ),
  "plan.expense_deleted": onMoney("expenses", (record, data) =>
    dropItem(record, "expenses", data.expense_id),
  ),
  "plan.settlement_recorded": onMoney("settlements", (record, data) =>
    keepItem(record, "settlements", data.settlement),
  ),
  "plan.settlement_deleted": onMoney("settlements", (record, data) =>
    dropItem(record, "settlements", data.settlement_id),
  ),
};
