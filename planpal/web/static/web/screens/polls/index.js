// The polls of a group or a plan: a section with its poll cards, live (the store's "polls"
// changes for this place) and a button to ask a new question.

import { h, replaceChildren } from "../../lib/dom.js";
import { attempt } from "../../lib/toast.js";
import { loadPolls } from "../../state/live.js";
import { pollsOf } from "../../state/polls.js";
import { onChange, store } from "../../state/store.js";
import { pollCard } from "./card.js";
import { newPollDialog } from "./dialog.js";
import { t } from "../../lib/i18n.js";

/** place: "group:<id>" or "plan:<id>". Returns {node, render, stop}. */
export function pollsSection(place) {
  const titleId = `polls-title-${place.replace(":", "-")}`;
  const list = h("div", { class: "poll-list" });
  const node = h(
    "section",
    { class: "polls", "aria-labelledby": titleId },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: titleId }, t("polls.polls")),
      h(
        "button",
        { type: "button", class: "button button-secondary", onclick: () => newPollDialog(place) },
        t("polls.dialog.new_poll"),
      ),
    ),
    list,
  );
  function render() {
    const polls = pollsOf(store, place);
    replaceChildren(
      list,
      polls.length ? polls.map(pollCard) : h("p", { class: "muted" }, t("polls.no_polls_yet")),
    );
  }
  const stop = onChange(({ kind, id }) => {
    if (kind === "polls" && id === place) render();
  });
  attempt(() => loadPolls(place));
  return { node, render, stop };
}
