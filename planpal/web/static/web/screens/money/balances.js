// Balances and settling up: each member's paid / share / net, the shortest list of payments
// that settles everyone (the server's), "Record payment" on the ones I am part of, and the
// payments recorded so far (either party may delete one: to undo a mistake or dispute it).

import { api, newClientId } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { displayName, formatMoney, formatShort } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { digitsOf, fromMinor, toMinor } from "../../lib/money.js";
import { attempt, toast } from "../../lib/toast.js";
import { dropItem, keepItem, settlementsOf } from "../../state/money.js";
import { changed, store } from "../../state/store.js";

/** "You pay Alice ₫100,000", "Bob pays you …", "Bob pays Alice …": one sentence per case (the
 *  word order differs between languages). */
function transferText(page, { from_user, to_user, amount }, currency) {
  const params = {
    from: page.nameOf(from_user),
    to: page.nameOf(to_user),
    amount: formatMoney(amount, currency),
  };
  const me = store.me?.id;
  if (from_user === me) return t("money.you_pay_to_amount", params);
  if (to_user === me) return t("money.from_pays_you_amount", params);
  return t("money.from_pays_to_amount", params);
}

/** The same for a payment made: "You paid Alice ₫100,000", … */
function paymentText(page, { from_user, to_user, amount, currency }) {
  const params = {
    from: page.nameOf(from_user),
    to: page.nameOf(to_user),
    amount: formatMoney(amount, currency),
  };
  const me = store.me?.id;
  if (from_user === me) return t("money.you_paid_to_amount", params);
  if (to_user === me) return t("money.from_paid_you_amount", params);
  return t("money.from_paid_to_amount", params);
}

function recordPayment(page, transfer, currency) {
  formDialog({
    title: t("money.record_a_payment"),
    intro: h("p", {}, transferText(page, transfer, currency)),
    submitLabel: t("money.record_payment"),
    fields: [
      formField(t("money.amount_in_currency", { currency }), {
        name: "amount",
        inputmode: "decimal",
        required: true,
        value: transfer.amount,
      }),
      formField(t("money.note"), { name: "note", maxlength: "2000" }),
    ],
    onSubmit: async (data) => {
      const body = {
        from_user: transfer.from_user,
        to_user: transfer.to_user,
        amount: data.amount.trim(),
        note: data.note || "",
        client_id: newClientId(),
      };
      const payment = await api.post(`plans/${page.planId}/settlements`, body);
      if (keepItem(store.money.get(page.planId), "settlements", payment))
        changed("money", page.planId);
      toast(t("money.payment_recorded"));
    },
  });
}

async function deletePayment(page, payment) {
  const what = paymentText(page, payment);
  if (!(await confirmDialog(t("money.delete_this_payment"), what, t("money.delete_payment"))))
    return;
  const done = await attempt(() => api.del(`settlements/${payment.id}?version=${payment.version}`));
  if (done === undefined) return;
  if (dropItem(store.money.get(page.planId), "settlements", payment.id))
    changed("money", page.planId);
  toast(t("money.payment_deleted"));
}

/** "owes ₫200,000", "is owed …", "settled": a net balance in words. */
function netText(net, currency) {
  const units = toMinor(net, digitsOf(currency));
  if (units === 0n) return t("money.settled");
  if (units > 0n) return t("money.is_owed_amount", { amount: formatMoney(net, currency) });
  const owed = formatMoney(fromMinor(-units, digitsOf(currency)), currency);
  return t("money.owes_amount", { amount: owed });
}

function memberRows(balances) {
  return balances.members.map((member) =>
    h(
      "tr",
      { dataset: { user: member.user.id } },
      h("th", { scope: "row" }, displayName(member.user)),
      h("td", {}, formatMoney(member.paid, balances.currency)),
      h("td", {}, formatMoney(member.owed, balances.currency)),
      h("td", { class: "balance-net" }, netText(member.net, balances.currency)),
    ),
  );
}

function balanceTable(balances) {
  const head = [t("money.member"), t("money.paid"), t("money.share"), t("money.balance")];
  return h(
    "table",
    { class: "balances-table" },
    h(
      "caption",
      { class: "visually-hidden" },
      t("money.balances_in_currency", { currency: balances.currency }),
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head.map((text) => h("th", { scope: "col" }, text)),
      ),
    ),
    h("tbody", {}, memberRows(balances)),
  );
}

function settleUp(page, balances) {
  const me = store.me?.id;
  if (!balances.settle_up.length)
    return h("p", { class: "muted settled" }, t("money.everyone_is_settled_up"));
  return h(
    "ul",
    { class: "settle-up", "aria-label": t("money.payments_that_settle_everyone") },
    balances.settle_up.map((transfer) =>
      h(
        "li",
        { class: "transfer", dataset: { from: transfer.from_user, to: transfer.to_user } },
        h("span", {}, transferText(page, transfer, balances.currency)),
        transfer.from_user === me || transfer.to_user === me
          ? h(
              "button",
              {
                type: "button",
                class: "button button-secondary",
                onclick: () => recordPayment(page, transfer, balances.currency),
              },
              t("money.record_payment"),
            )
          : null,
      ),
    ),
  );
}

function paymentRow(page, payment) {
  const me = store.me?.id;
  return h(
    "li",
    { dataset: { payment: payment.id } },
    t("money.payment_line", {
      payment: paymentText(page, payment),
      when: formatShort(payment.created_at, page.zone()),
    }),
    payment.note ? ` · ${payment.note}` : "",
    payment.from_user === me || payment.to_user === me
      ? h(
          "button",
          {
            type: "button",
            class: "button button-quiet",
            onclick: () => deletePayment(page, payment),
          },
          t("money.delete"),
        )
      : null,
  );
}

function payments(page, record) {
  const list = settlementsOf(record);
  if (!list.length) return null;
  return h(
    "details",
    { class: "payments" },
    h("summary", {}, t("money.payments_recorded", { count: list.length })),
    h(
      "ul",
      {},
      list.map((payment) => paymentRow(page, payment)),
    ),
  );
}

export function balancesSection(page) {
  const body = h("div", {});
  const node = h(
    "section",
    { class: "balances", "aria-labelledby": "balances-title" },
    h("h2", { id: "balances-title" }, t("money.balances")),
    body,
  );
  function render() {
    const record = store.money.get(page.planId);
    if (!record?.balances) return;
    replaceChildren(
      body,
      balanceTable(record.balances),
      h("h3", {}, t("money.settle_up")),
      settleUp(page, record.balances),
      payments(page, record),
    );
  }
  return { node, render };
}
