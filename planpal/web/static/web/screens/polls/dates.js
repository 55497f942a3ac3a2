// A date poll: every day of its window as a button that cycles your mark (— → yes → maybe → no),
// with the day's counts, and the best ranges ranked live.

import { api } from "../../api.js";
import { h } from "../../lib/dom.js";
import { send } from "./send.js";
import { t } from "../../lib/i18n.js";

const NEXT = { undefined: "yes", yes: "maybe", maybe: "no", no: undefined };
const MARK_NAMES = {
  yes: t("polls.dates.mark_yes"),
  maybe: t("polls.dates.mark_maybe"),
  no: t("polls.dates.mark_no"),
};
const MARK = {
  yes: `✓ ${MARK_NAMES.yes}`,
  maybe: `? ${MARK_NAMES.maybe}`,
  no: `✗ ${MARK_NAMES.no}`,
};

function mark(poll, day) {
  const days = { ...poll.my_vote.days };
  const next = NEXT[days[day]];
  if (next) days[day] = next;
  else delete days[day];
  if (!Object.keys(days).length) return send(() => api.del(`polls/${poll.id}/votes`));
  return send(() => api.put(`polls/${poll.id}/votes`, { days }));
}

const shortDay = (iso) =>
  new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(new Date(`${iso}T00:00:00Z`));

function dayButton(poll, row) {
  const mine = poll.my_vote.days[row.day];
  return h(
    "li",
    { class: `poll-day ${mine ? `poll-day-${mine}` : ""}`, dataset: { day: row.day } },
    h(
      "button",
      {
        type: "button",
        class: "button button-quiet",
        disabled: poll.closed,
        dataset: { key: `poll-${poll.id}-day-${row.day}` },
        "aria-label": `${shortDay(row.day)}: ${mine ? MARK_NAMES[mine] || mine : t("polls.dates.not_marked")}`,
        onclick: () => mark(poll, row.day),
      },
      h("span", {}, shortDay(row.day)),
      h("span", { class: "poll-mark" }, mine ? MARK[mine] : "—"),
    ),
    h("span", { class: "muted" }, t("polls.dates.yes_maybe", { yes: row.yes, maybe: row.maybe })),
  );
}

function ranking(poll) {
  const rows = poll.results.ranking;
  if (!rows.length) return h("p", { class: "muted" }, t("polls.dates.no_dates_fit_anyone_yet"));
  return h(
    "ol",
    { class: "poll-ranking", "aria-label": t("polls.dates.best_dates") },
    rows.map((row) =>
      h(
        "li",
        { dataset: { first: row.first_day, last: row.last_day } },
        `${shortDay(row.first_day)} – ${shortDay(row.last_day)}: `,
        t("polls.dates.can_go", { count: row.available, sure: row.sure }),
      ),
    ),
  );
}

export function dateCalendar(poll) {
  return h(
    "div",
    { class: "poll-dates" },
    h(
      "ul",
      { class: "poll-calendar" },
      poll.results.days.map((row) => dayButton(poll, row)),
    ),
    h("h4", {}, t("polls.dates.best_dates")),
    ranking(poll),
  );
}
