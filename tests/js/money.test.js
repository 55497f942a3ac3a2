// Money in the web client: exact amounts and the split preview (lib/money.js, the server's
// largest-remainder rule of docs/money.md), and the money reducer (state/money.js): events
// newer than a snapshot replace expenses, payments and balances; replays change nothing.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  distribute,
  fromMinor,
  previewSplit,
  toMinor,
} from "../../planpal/web/static/web/lib/money.js";
import {
  expensesOf,
  installBalances,
  installBudget,
  installList,
  keepItem,
  moneyOf,
} from "../../planpal/web/static/web/state/money.js";
import { applyEvent } from "../../planpal/web/static/web/state/reduce.js";
import { createStore } from "../../planpal/web/static/web/state/store.js";

const shares = (map) => Object.fromEntries([...map].map(([id, units]) => [id, String(units)]));

describe("exact amounts", () => {
  it("reads decimal strings into minor units and writes them back unchanged", () => {
    assert.equal(toMinor("12.5", 2), 1250n);
    assert.equal(toMinor("450000", 0), 450000n);
    assert.equal(toMinor(".05", 2), 5n);
    assert.equal(fromMinor(1250n, 2), "12.50");
    assert.equal(fromMinor(5n, 2), "0.05");
    assert.equal(fromMinor(-200000n, 0), "-200000");
    assert.equal(fromMinor(toMinor("999999999999.99", 2), 2), "999999999999.99");
  });

  it("refuses more decimals than the currency has, and text that is not a number", () => {
    assert.equal(toMinor("12.345", 2), null);
    assert.equal(toMinor("1000.5", 0), null);
    assert.equal(toMinor("12,5", 2), null);
    assert.equal(toMinor("", 2), null);
    assert.equal(toMinor(".", 2), null);
  });
});

describe("the largest-remainder split", () => {
  it("gives the one unit left over to the lower user id (the docs' example)", () => {
    const weights = [7, 3, 5].map((user_id) => ({ user_id, weight: 1n }));
    assert.deepEqual(shares(distribute(100000n, weights)), {
      3: "33334",
      5: "33333",
      7: "33333",
    });
  });

  it("gives left-over units to the largest remainders before lower ids", () => {
    // 10 by weights 1, 1, 3 (sum 5): 2, 2, 6 exactly; 11: 2.2, 2.2, 6.6 → user 9 gets the unit.
    const weights = [
      { user_id: 1, weight: 1n },
      { user_id: 2, weight: 1n },
      { user_id: 9, weight: 3n },
    ];
    assert.deepEqual(shares(distribute(11n, weights)), { 1: "2", 2: "2", 9: "7" });
  });

  it("always sums exactly to the amount", () => {
    for (let total = 1n; total < 400n; total += 7n) {
      const weights = [3n, 1n, 7n, 2n].map((weight, i) => ({ user_id: i + 1, weight }));
      const sum = [...distribute(total, weights).values()].reduce((a, b) => a + b, 0n);
      assert.equal(sum, total);
    }
  });
});

describe("the split preview", () => {
  const people = (values) => values.map(([user_id, value]) => ({ user_id, value }));

  it("shows equal shares as the server will store them", () => {
    const preview = previewSplit({
      amount: "100",
      currency: "USD",
      strategy: "equal",
      participants: people([[1], [2], [3]]),
    });
    assert.equal(preview.problem, null);
    assert.deepEqual(shares(preview.shares), { 1: "3334", 2: "3333", 3: "3333" });
  });

  it("weights by shares and by percent, and says when percents do not make 100", () => {
    const byShares = previewSplit({
      amount: "300000",
      currency: "VND",
      strategy: "shares",
      participants: people([
        [1, "2"],
        [2, "1"],
      ]),
    });
    assert.deepEqual(shares(byShares.shares), { 1: "200000", 2: "100000" });
    const byPercent = previewSplit({
      amount: "10",
      currency: "USD",
      strategy: "percent",
      participants: people([
        [1, "33.33"],
        [2, "33.33"],
        [3, "33.34"],
      ]),
    });
    assert.equal(byPercent.problem, null);
    assert.deepEqual(shares(byPercent.shares), { 1: "333", 2: "333", 3: "334" });
    const short = previewSplit({
      amount: "10",
      currency: "USD",
      strategy: "percent",
      participants: people([
        [1, "50"],
        [2, "40"],
      ]),
    });
    assert.equal(short.problem, "percent-sum");
  });

  it("shows exact values as they are and says when they miss the amount", () => {
    const preview = previewSplit({
      amount: "100",
      currency: "VND",
      strategy: "exact",
      participants: people([
        [1, "70"],
        [2, "20"],
      ]),
    });
    assert.equal(preview.problem, "exact-sum");
    assert.equal(preview.sum, 90n);
    assert.deepEqual(shares(preview.shares), { 1: "70", 2: "20" });
  });

  it("waits for a valid amount and for every value", () => {
    const base = { currency: "VND", strategy: "shares", participants: people([[1, "1"]]) };
    assert.equal(previewSplit({ ...base, amount: "1000.5" }).problem, "amount");
    const missing = { ...base, amount: "10", participants: people([[1, "1"], [2]]) };
    assert.equal(previewSplit(missing).problem, "value");
    assert.equal(
      previewSplit({ ...base, amount: "10", participants: [] }).problem,
      "no-participants",
    );
  });
});

// ---------------------------------------------------------------------------- the reducer
const PLAN = 12;
const frame = (seq, event, data) => ({ type: "event", topic: `plan:${PLAN}`, seq, event, data });
const balances = (spent, settle_up = []) => ({
  plan: PLAN,
  currency: "VND",
  budget: "1000000",
  spent,
  by_category: { food: spent },
  members: [],
  settle_up,
});
const expense = (id, version, extra = {}) => ({
  id,
  plan: PLAN,
  title: `Expense ${id}`,
  amount: "300000",
  currency: "VND",
  spent_at: `2026-12-0${id}T12:00:00Z`,
  version,
  ...extra,
});

describe("the money reducer", () => {
  let store;
  beforeEach(() => {
    store = createStore();
    store.me = { id: 1 };
    const stream = { topic: `plan:${PLAN}`, seq: 5 };
    installBudget(store, PLAN, {
      plan: PLAN,
      amount: "1000000",
      currency: "VND",
      version: 1,
      spent: "300000",
      stream,
    });
    installList(store, PLAN, "expenses", { stream, results: [expense(1, 1)] });
    installList(store, PLAN, "settlements", { stream, results: [] });
    installBalances(store, PLAN, { ...balances("300000"), stream });
  });

  it("adds an expense and takes the event's balances", () => {
    const settle = [{ from_user: 2, to_user: 1, amount: "200000" }];
    const { changes } = applyEvent(
      store,
      frame(6, "plan.expense_added", {
        expense: expense(2, 1),
        balances: balances("600000", settle),
      }),
    );
    const record = moneyOf(store, PLAN);
    assert.deepEqual(
      expensesOf(record).map((e) => e.id),
      [2, 1],
    );
    assert.equal(record.balances.spent, "600000");
    assert.deepEqual(record.balances.settle_up, settle);
    assert.deepEqual(changes, [{ kind: "money", id: PLAN }]);
  });

  it("ignores an event the snapshot already reflects", () => {
    const { changes } = applyEvent(
      store,
      frame(5, "plan.expense_added", { expense: expense(1, 1), balances: balances("999") }),
    );
    assert.equal(moneyOf(store, PLAN).balances.spent, "300000");
    assert.deepEqual(changes, []);
  });

  it("keeps the newer version when a REST answer beat its own event", () => {
    const record = moneyOf(store, PLAN);
    assert.ok(keepItem(record, "expenses", expense(1, 3, { title: "Mine" })));
    applyEvent(
      store,
      frame(6, "plan.expense_updated", { expense: expense(1, 2), balances: balances("300000") }),
    );
    assert.equal(record.expenses.get(1).title, "Mine");
  });

  it("removes a deleted expense for good, and records and removes payments", () => {
    applyEvent(
      store,
      frame(6, "plan.expense_deleted", { plan_id: PLAN, expense_id: 1, balances: balances("0") }),
    );
    const record = moneyOf(store, PLAN);
    assert.equal(record.expenses.size, 0);
    applyEvent(
      store,
      frame(7, "plan.expense_updated", { expense: expense(1, 9), balances: balances("0") }),
    );
    assert.equal(record.expenses.size, 0, "a deleted expense does not come back");
    const payment = { id: 4, plan: PLAN, from_user: 2, to_user: 1, amount: "100000", version: 1 };
    applyEvent(
      store,
      frame(8, "plan.settlement_recorded", { settlement: payment, balances: balances("0") }),
    );
    assert.equal(record.settlements.get(4).amount, "100000");
    applyEvent(
      store,
      frame(9, "plan.settlement_deleted", {
        plan_id: PLAN,
        settlement_id: 4,
        balances: balances("0"),
      }),
    );
    assert.equal(record.settlements.size, 0);
  });

  it("updates the budget from its event, and ignores plans whose money is not loaded", () => {
    applyEvent(
      store,
      frame(6, "plan.budget_updated", {
        plan_id: PLAN,
        budget: { plan: PLAN, amount: "2000000", currency: "VND", version: 2 },
        balances: balances("300000"),
      }),
    );
    assert.equal(moneyOf(store, PLAN).budget.amount, "2000000");
    const other = {
      ...frame(1, "plan.expense_added", { expense: expense(3, 1), balances: balances("1") }),
      topic: "plan:99",
    };
    assert.deepEqual(applyEvent(store, other).changes, []);
    assert.equal(store.money.has(99), false);
  });
});

describe("money notices", () => {
  it("lead to the plan's Budget tab; other plan notices to the plan", async () => {
    // bell.js imports the live connection, which reads the page's address when it loads.
    globalThis.window ??= { location: { protocol: "http:", host: "planpal.test" } };
    const { notificationTarget } = await import("../../planpal/web/static/web/screens/bell.js");
    const notice = (kind) => ({ kind, data: { plan_id: 12 } });
    assert.equal(notificationTarget(notice("plan.budget_80")), "#/plans/12/budget");
    assert.equal(notificationTarget(notice("plan.balance_due")), "#/plans/12/budget");
    assert.equal(notificationTarget(notice("plan.activity_added")), "#/plans/12");
  });
});

describe("several payers", () => {
  it("must add up to the amount, each above zero with the currency's decimals", async () => {
    const { payersCheck } =
      await import("../../planpal/web/static/web/screens/money/payers-editor.js");
    const paid = (entries) => new Map(entries);
    assert.equal(payersCheck("10.00", "USD", paid([])).problem, "none");
    assert.equal(
      payersCheck(
        "10",
        "USD",
        paid([
          [1, "6"],
          [2, "4"],
        ]),
      ).problem,
      null,
    );
    const short = payersCheck(
      "10",
      "USD",
      paid([
        [1, "6"],
        [2, "3.99"],
      ]),
    );
    assert.deepEqual([short.problem, short.sum], ["sum", 999n]);
    assert.equal(payersCheck("10", "USD", paid([[1, "10.001"]])).problem, "value");
    assert.equal(
      payersCheck(
        "1000",
        "VND",
        paid([
          [1, "1000"],
          [2, ""],
        ]),
      ).problem,
      null,
    );
  });
});
