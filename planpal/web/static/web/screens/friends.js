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

async function unfriend(user, what) {
  if (!(await confirmDialog(`${what} ${displayName(user)}?`, "You can ask again later.", what)))
    return;
  if ((await attempt(() => api.del(`friends/${user.id}`))) !== undefined) toast("Done.");
}

function requestButtons(entry) {
  const { user } = entry;
  const name = displayName(user);
  if (entry.direction === "outgoing") {
    return [
      h("span", { class: "muted" }, "asked"),
      button("Withdraw", `Withdraw request to ${name}`, () =>
        unfriend(user, "Withdraw the request to"),
      ),
    ];
  }
  return [
    button(
      "Accept",
      `Accept ${name}`,
      act(() => api.post(`friends/${user.id}/accept`), `You and ${name} are friends.`),
      "button button-primary",
    ),
    button(
      "Decline",
      `Decline ${name}`,
      act(() => api.post(`friends/${user.id}/decline`), "Request declined."),
    ),
    button(
      "Block",
      `Block ${name}`,
      act(() => api.post(`friends/${user.id}/block`), `${name} is blocked.`),
      "button button-danger",
    ),
  ];
}

function searchForm(results) {
  const form = h(
    "form",
    { class: "search-row", role: "search" },
    formField("Find people", {
      name: "search",
      type: "search",
      minlength: "2",
      placeholder: "Name or username",
    }),
    h("button", { type: "submit", class: "button button-secondary" }, "Search"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = form.elements.search.value.trim();
    if (query.length < 2) return toast("Type at least two letters.");
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
            h("span", { class: "muted" }, entry.status === "accepted" ? "friend" : entry.status),
          );
        const ask = async () => {
          if (await attempt(() => api.post("friends", { user: user.id })))
            toast(`Friend request sent to ${displayName(user)}.`);
        };
        return personRow(
          user,
          button(
            "Add friend",
            `Add ${displayName(user)} as a friend`,
            ask,
            "button button-primary",
          ),
        );
      });
    replaceChildren(
      results,
      rows.length ? rows : h("li", { class: "empty" }, "Nobody found by that name."),
    );
  });
  return form;
}

function lists() {
  const requests = h("ul", { class: "people", "aria-label": "Friend requests" });
  const friends = h("ul", { class: "people", "aria-label": "Friends" });
  const blocked = h("ul", { class: "people", "aria-label": "Blocked" });
  function render() {
    const pending = friendsWith(store, "pending");
    replaceChildren(
      requests,
      pending.length
        ? pending.map((entry) => personRow(entry.user, requestButtons(entry)))
        : h("li", { class: "empty" }, "No open requests."),
    );
    const accepted = friendsWith(store, "accepted");
    replaceChildren(
      friends,
      accepted.length
        ? accepted.map(({ user }) =>
            personRow(
              user,
              button(
                "Message",
                `Message ${displayName(user)}`,
                () => openDirectChat(user.id),
                "button button-secondary",
              ),
              button("Remove", `Remove ${displayName(user)}`, () => unfriend(user, "Remove")),
            ),
          )
        : h("li", { class: "empty" }, "No friends yet. Find people above."),
    );
    const gone = friendsWith(store, "blocked");
    replaceChildren(
      blocked,
      gone.length
        ? gone.map(({ user }) =>
            personRow(
              user,
              button("Unblock", `Unblock ${displayName(user)}`, () => unfriend(user, "Unblock")),
            ),
          )
        : h("li", { class: "empty" }, "Nobody."),
    );
  }
  return { requests, friends, blocked, render };
}

export async function renderFriends(main) {
  await attempt(loadFriends);
  const results = h("ul", {
    class: "people",
    "aria-label": "Search results",
    "aria-live": "polite",
  });
  const parts = lists();
  const section = (id, title, ...content) =>
    h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...content);
  main.replaceChildren(
    h("h1", {}, "Friends"),
    section("find-title", "Find people", searchForm(results), results),
    section("requests-title", "Requests", parts.requests),
    section("friends-title", "Your friends", parts.friends),
    section("blocked-title", "Blocked", parts.blocked),
  );
  parts.render();
  return onChange(({ kind }) => {
    if (kind === "friends") parts.render();
  });
}
