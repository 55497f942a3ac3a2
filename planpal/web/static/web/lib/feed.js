// An activity feed (a topic's event log, `…/events`): who did what and when, newest first,
// with "Show older" following the page's `next` link.

import { h, replaceChildren } from "./dom.js";
import { displayName, formatShort } from "./format.js";
import { attempt } from "./toast.js";
import { t } from "./i18n.js";

function feedItem(item) {
  return h(
    "li",
    { class: "feed-item" },
    h("p", { class: "feed-summary" }, item.summary),
    h(
      "p",
      { class: "muted feed-meta" },
      item.actor ? `${displayName(item.actor)} · ` : "",
      h("time", { datetime: item.ts }, formatShort(item.ts)),
    ),
  );
}

/** `load(cursorUrl|null)` fetches a page; the list starts empty and loads on render(). */
export function feedList(label, load) {
  const list = h("ol", { class: "feed", "aria-label": label });
  const more = h(
    "button",
    { type: "button", class: "button button-quiet", hidden: true },
    t("lib.feed.show_older"),
  );
  const items = [];
  let next = null;

  async function page(url) {
    const answer = await attempt(() => load(url));
    if (!answer) return;
    items.push(...answer.results);
    next = answer.next ? answer.next.replace(/^https?:\/\/[^/]+/, "") : null;
    replaceChildren(
      list,
      items.length
        ? items.map(feedItem)
        : h("li", { class: "empty" }, t("lib.feed.nothing_has_happened_yet")),
    );
    more.hidden = !next;
  }
  more.addEventListener("click", () => page(next));
  return {
    node: h("div", { class: "feed-wrap" }, list, more),
    render: () => {
      items.length = 0;
      return page(null);
    },
  };
}
