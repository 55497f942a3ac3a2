// Friends: find people by name and ask them, answer requests (accept, decline, block), the
// friends list with a direct chat and "remove", and who you blocked. Live from friend.* events.

import { api } from "../api.js";
import { confirmDialog, formField } from "../lib/dialogs.js";
import { h, replaceChildren } from "../lib/dom.js";
import { displayName, initials } from "../lib/format.js";
import { attempt, toast } from "../lib/toast.js";
import { friendsWith } from "../state/accounts.js";
import { loadFriends } from "../state/live.js";
import { onChange, store } from "../state/store.js";
import { openDirectChat } from "./conversations.js";
import { t } from "../lib/i18n.js";

/** A search result's relation to the viewer (the API's friendship status). */
const FRIEND_STATUS = {
  accepted: t("friends.status_friend"),
  pending: t("friends.status_pending"),
  blocked: t("friends.status_blocked"),
};

function personRow(user, ...buttons) {
  return h(
    "li",
    { class: "person friend-row", dataset: { userId: user.id } },
    h("span", { class: "avatar", "aria-hidden": "true" }, initials(user)),
    h(
      "span",
      { class: "person-name" },
      displayName(user),
      h("span", { class: "muted" }, ` @${user.username}`),
    ),
    h("span", { class: "row-actions" }, buttons),
  );
}

function button(label, name, run, style = "button button-quiet") {
  return h("button", { type: "button", class: style, "aria-label": name, onclick: run }, label);
}

const act = (request, message) => async () => {
  if ((await attempt(request)) !== undefined) toast(message);
};

/** `ask`: the confirmation's question ("Remove Ana?"), `label`: its button. */
async function unfriend(user, ask, label) {
  if (!(await confirmDialog(ask, t("friends.you_can_ask_again_later"), label))) {
    return;
  }
  if ((await attempt(() => api.del(`friends/${user.id}`))) !== undefined) toast(t("friends.done"));
}

function requestButtons(entry) {
  const { user } = entry;
  const name = displayName(user);
  if (entry.direction === "outgoing") {
    return [
      h("span", { class: "muted" }, t("friends.asked")),
      button(t("friends.withdraw"), t("friends.withdraw_request_to_name", { name }), () =>
        unfriend(
          user,
          t("friends.withdraw_ask", { name: displayName(user) }),
          t("friends.withdraw"),
        ),
      ),
    ];
  }
  return [
    button(
      "Accept",
      t("friends.accept_name", { name }),
      act(
        () => api.post(`friends/${user.id}/accept`),
        t("friends.you_and_name_are_friends", { name }),
      ),
      "button button-primary",
    ),
    button(
      t("friends.decline"),
      t("friends.decline_name", { name }),
      act(() => api.post(`friends/${user.id}/decline`), t("friends.request_declined")),
    ),
    button(
      t("friends.block"),
      t("friends.block_name", { name }),
      act(() => api.post(`friends/${user.id}/block`), t("friends.name_is_blocked", { name })),
      "button button-danger",
    ),
  ];
}

function searchForm(results) {
  const form = h(
    "form",
    { class: "search-row", role: "search" },
    formField(t("friends.find_people"), {
      name: "search",
      type: "search",
      minlength: "2",
      placeholder: t("friends.name_or_username"),
    }),
    h(
      "button",
      { type: "submit", class: "button button-secondary" },
      t("plan.place_picker.search"),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = form.elements.search.value.trim();
    if (query.length < 2) return toast(t("friends.type_at_least_two_letters"));
    const answer = await attempt(() => api.get(`users?search=${encodeURIComponent(query)}`));
    if (!answer) return;
    const known = store.friends?.items || new Map();
    const rows = answer.results
      .filter((user) => user.id !== store.me.id)
      .map((user) => {
        const entry = known.get(user.id);
        if (entry)
          return personRow(
            user,
            h("span", { class: "muted" }, FRIEND_STATUS[entry.status] || entry.status),
          );
        const ask = async () => {
          if (await attempt(() => api.post("friends", { user: user.id })))
            toast(t("friends.friend_request_sent_to_user", { user: displayName(user) }));
        };
        return personRow(
          user,
          button(
            t("friends.add_friend"),
            t("friends.add_user_as_a_friend", { user: displayName(user) }),
            ask,
            "button button-primary",
          ),
        );
      });
    replaceChildren(
      results,
      rows.length ? rows : h("li", { class: "empty" }, t("friends.nobody_found_by_that_name")),
    );
  });
  return form;
}

function lists() {
  const requests = h("ul", { class: "people", "aria-label": t("friends.friend_requests") });
  const friends = h("ul", { class: "people", "aria-label": t("shell.friends") });
  const blocked = h("ul", { class: "people", "aria-label": t("friends.blocked") });
  function render() {
    const pending = friendsWith(store, "pending");
    replaceChildren(
      requests,
      pending.length
        ? pending.map((entry) => personRow(entry.user, requestButtons(entry)))
        : h("li", { class: "empty" }, t("friends.no_open_requests")),
    );
    const accepted = friendsWith(store, "accepted");
    replaceChildren(
      friends,
      accepted.length
        ? accepted.map(({ user }) =>
            personRow(
              user,
              button(
                t("friends.message"),
                t("friends.message_user", { user: displayName(user) }),
                () => openDirectChat(user.id),
                "button button-secondary",
              ),
              button(
                t("common.remove"),
                t("group.members.remove_user", { user: displayName(user) }),
                () =>
                  unfriend(
                    user,
                    t("friends.remove_ask", { name: displayName(user) }),
                    t("common.remove"),
                  ),
              ),
            ),
          )
        : h("li", { class: "empty" }, t("friends.no_friends_yet_find_people")),
    );
    const gone = friendsWith(store, "blocked");
    replaceChildren(
      blocked,
      gone.length
        ? gone.map(({ user }) =>
            personRow(
              user,
              button(
                t("friends.unblock"),
                t("friends.unblock_user", { user: displayName(user) }),
                () =>
                  unfriend(
                    user,
                    t("friends.unblock_ask", { name: displayName(user) }),
                    t("friends.unblock"),
                  ),
              ),
            ),
          )
        : h("li", { class: "empty" }, t("friends.nobody")),
    );
  }
  return { requests, friends, blocked, render };
}

export async function renderFriends(main) {
  await attempt(loadFriends);
  const results = h("ul", {
    class: "people",
    "aria-label": t("friends.search_results"),
    "aria-live": "polite",
  });
  const parts = lists();
  const section = (id, title, ...content) =>
    h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...content);
  main.replaceChildren(
    h("h1", {}, t("shell.friends")),
    section("find-title", t("friends.find_people"), searchForm(results), results),
    section("requests-title", t("friends.requests"), parts.requests),
    section("friends-title", t("friends.your_friends"), parts.friends),
    section("blocked-title", t("friends.blocked"), parts.blocked),
  );
  parts.render();
  return onChange(({ kind }) => {
    if (kind === "friends") parts.render();
  });
}
