// One poll as a card: live bars per option (or a calendar of days with the best ranges), your
// vote, who voted (named polls), and closing, applying and deleting for whoever may.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { displayName, fromLocalInput } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { installPoll, placeOf } from "../../state/polls.js";
import { changed, store } from "../../state/store.js";
import { dateCalendar } from "./dates.js";
import { send } from "./send.js";
import { t } from "../../lib/i18n.js";

function choose(poll, optionId) {
  const mine = new Set(poll.my_vote.options);
  if (!poll.multiple) return send(() => api.put(`polls/${poll.id}/votes`, { options: [optionId] }));
  if (mine.has(optionId)) mine.delete(optionId);
  else mine.add(optionId);
  if (!mine.size) return send(() => api.del(`polls/${poll.id}/votes`));
  return send(() => api.put(`polls/${poll.id}/votes`, { options: [...mine] }));
}

const optionLabel = (option) => option.label || `${option.first_day} – ${option.last_day}`;

function voters(poll, optionId) {
  const names = poll.ballots
    .filter((ballot) => ballot.options.includes(optionId))
    .map((ballot) => displayName(ballot.user));
  return names.length ? h("span", { class: "muted poll-voters" }, names.join(", ")) : null;
}

function optionRow(poll, option, total) {
  const count = poll.results.options.find((row) => row.id === option.id)?.votes ?? 0;
  const mine = poll.my_vote.options.includes(option.id);
  return h(
    "li",
    { class: "poll-option", dataset: { option: option.id } },
    h(
      "button",
      {
        type: "button",
        class: mine ? "button button-secondary" : "button button-quiet",
        "aria-pressed": String(mine),
        disabled: poll.closed,
        dataset: { key: `poll-${poll.id}-option-${option.id}` },
        onclick: () => choose(poll, option.id),
      },
      optionLabel(option),
    ),
    h("progress", {
      max: Math.max(total, 1),
      value: count,
      "aria-label": t("polls.card.votes", { count }),
    }),
    h("span", { class: "poll-count", dataset: { count } }, String(count)),
    poll.anonymous ? null : voters(poll, option.id),
  );
}

function useForActivity(poll) {
  formDialog({
    title: t("polls.card.add_the_winner_as_an"),
    submitLabel: t("common.add"),
    fields: [
      formField(t("common.starts"), { name: "starts_at", type: "datetime-local", required: true }),
      formField(t("common.ends"), { name: "ends_at", type: "datetime-local", required: true }),
    ],
    onSubmit: async (data) => {
      const zone = store.plans.get(poll.plan)?.data.timezone || "UTC";
      const body = {
        to: "activity",
        starts_at: fromLocalInput(data.starts_at, zone),
        ends_at: fromLocalInput(data.ends_at, zone),
      };
      installPoll(store, await api.post(`polls/${poll.id}/apply`, body));
      changed("polls", placeOf(poll));
    },
  });
}

async function remove(poll) {
  if (!(await confirmDialog(t("polls.card.delete_this_poll"), poll.question, t("common.delete"))))
    return;
  if ((await attempt(() => api.del(`polls/${poll.id}`))) === undefined) return;
  store.polls.delete(poll.id);
  changed("polls", placeOf(poll));
}

function actions(poll) {
  const buttons = [];
  const button = (label, onclick) =>
    h("button", { type: "button", class: "button button-quiet", onclick }, label);
  const voted = poll.my_vote.options.length || Object.keys(poll.my_vote.days).length;
  if (voted && !poll.closed)
    buttons.push(
      button(t("polls.card.withdraw_my_vote"), () => send(() => api.del(`polls/${poll.id}/votes`))),
    );
  if (poll.can_close && !poll.closed)
    buttons.push(
      button(t("polls.card.close_poll"), () => send(() => api.post(`polls/${poll.id}/close`))),
    );
  const dates = poll.kind === "dates" || poll.options.some((o) => o.kind === "dates");
  if (poll.can_close && poll.plan && dates) {
    const apply = () => api.post(`polls/${poll.id}/apply`, { to: "plan_dates" });
    buttons.push(
      button(t("polls.card.use_as_the_plan_s"), async () => {
        if (await send(apply)) toast(t("polls.card.the_plan_s_dates_are"));
      }),
    );
  }
  if (poll.can_close && poll.plan && poll.kind === "choice" && !dates)
    buttons.push(button(t("polls.card.add_winner_as_activity"), () => useForActivity(poll)));
  if (poll.can_close) buttons.push(button(t("common.delete"), () => remove(poll)));
  return buttons.length ? h("div", { class: "poll-actions" }, buttons) : null;
}

export function pollCard(poll) {
  const total = poll.results.voter_count;
  const tags = [poll.anonymous ? "anonymous" : null, poll.closed ? "closed" : null];
  return h(
    "article",
    { class: "poll card", dataset: { poll: poll.id }, "aria-label": poll.question },
    h("h3", {}, poll.question),
    h(
      "p",
      { class: "muted" },
      t("polls.card.asked_by", { name: displayName(poll.creator), count: total }),
      tags.filter(Boolean).map((tag) => h("span", { class: "badge" }, tag)),
    ),
    poll.kind === "dates"
      ? dateCalendar(poll)
      : h(
          "ul",
          { class: "poll-options" },
          poll.options.map((o) => optionRow(poll, o, total)),
        ),
    actions(poll),
  );
}
