// Balances and settling up: each member's paid / share / net, the shortest list of payments
// that settles everyone (the server's), "Record payment" on the ones I am part of, and the
// payments recorded so far (either party may delete one: to undo a mistake or dispute it).

import { api, newClientId } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { displayName, formatShort } from "../../lib/format.js";
import { digitsOf, formatMoney, fromMinor, toMinor } from "../../lib/money.js";
import { attempt, toast } from "../../lib/toast.js";
import { dropItem, keepItem, settlementsOf } from "../../state/money.js";
import { changed, store } from "../../state/store.js";

function recordPayment(page, transfer, currency) {
  const who = `${page.nameOf(transfer.from_user)} paid ${page.nameOf(transfer.to_user)}`;
  formDialog({
    title: "Record a payment",
    intro: h("p", {}, `${who} (in ${currency}).`),
    submitLabel: "Record payment",
    fields: [
      formField("Amount", {
        name: "amount",
        inputmode: "decimal",
        required: true,
        value: transfer.amount,
      }),
      formField("Note", { name: "note", maxlength: "2000" }),
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
      toast(`Recorded: ${who} ${formatMoney(payment.amount, payment.currency)}.`);
    },
  });
}

async function deletePayment(page, payment) {
  const what = `${page.nameOf(payment.from_user)} → ${page.nameOf(payment.to_user)}, ${formatMoney(payment.amount, payment.currency)}`;
  if (!(await confirmDialog("Delete this payment?", what, "Delete payment"))) return;
  const done = await attempt(() => api.del(`settlements/${payment.id}?version=${payment.version}`));
  if (done === undefined) return;
  if (dropItem(store.money.get(page.planId), "settlements", payment.id))
    changed("money", page.planId);
  toast("Payment deleted.");
}

/** "owes 200,000 VND", "is owed …", "settled": a net balance in words. */
function netText(net, currency) {
  const units = toMinor(net, digitsOf(currency));
  if (units === 0n) return "settled";
  if (units < 0n) return `owes ${formatMoney(fromMinor(-units, digitsOf(currency)), currency)}`;
  return `is owed ${formatMoney(net, currency)}`;
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
  const head = ["Member", "Paid", "Share", "Balance"].map((text) =>
    h("th", { scope: "col" }, text),
  );
  return h(
    "table",
    { class: "balances-table" },
    h("caption", { class: "visually-hidden" }, `Balances in ${balances.currency}`),
    h("thead", {}, h("tr", {}, head)),
    h("tbody", {}, memberRows(balances)),
  );
}

function settleUp(page, balances) {
  const me = store.me?.id;
  if (!balances.settle_up.length)
    return h("p", { class: "muted settled" }, "Everyone is settled up.");
  return h(
    "ul",
    { class: "settle-up", "aria-label": "Payments that settle everyone" },
    balances.settle_up.map((transfer) =>
      h(
        "li",
        { class: "transfer", dataset: { from: transfer.from_user, to: transfer.to_user } },
        h(
          "span",
          {},
          `${page.nameOf(transfer.from_user)} ${transfer.from_user === me ? "pay" : "pays"} ${page.nameOf(transfer.to_user)} `,
          h("strong", {}, formatMoney(transfer.amount, balances.currency)),
        ),
        transfer.from_user === me || transfer.to_user === me
          ? h(
              "button",
              {
                type: "button",
                class: "button button-secondary",
                onclick: () => recordPayment(page, transfer, balances.currency),
              },
              "Record payment",
            )
          : null,
      ),
    ),
  );
}

function payments(page, record) {
  const list = settlementsOf(record);
  if (!list.length) return null;
  const me = store.me?.id;
  return h(
    "details",
    { class: "payments" },
    h("summary", {}, `Payments recorded (${list.length})`),
    h(
      "ul",
      {},
      list.map((payment) =>
        h(
          "li",
          { dataset: { payment: payment.id } },
          `${page.nameOf(payment.from_user)} paid ${page.nameOf(payment.to_user)} ${formatMoney(payment.amount, payment.currency)} · ${formatShort(payment.created_at, page.zone())}`,
          payment.note ? ` · ${payment.note}` : "",
          payment.from_user === me || payment.to_user === me
            ? h(
                "button",
                {
                  type: "button",
                  class: "button button-quiet",
                  onclick: () => deletePayment(page, payment),
                },
                "Delete",
              )
            : null,
        ),
      ),
    ),
  );
}

export function balancesSection(page) {
  const body = h("div", {});
  const node = h(
    "section",
    { class: "balances", "aria-labelledby": "balances-title" },
    h("h2", { id: "balances-title" }, "Balances"),
    body,
  );
  function render() {
    const record = store.money.get(page.planId);
    if (!record?.balances) return;
    replaceChildren(
      body,
      balanceTable(record.balances),
      h("h3", {}, "Settle up"),
      settleUp(page, record.balances),
      payments(page, record),
    );
  }
  return { node, render };
}
