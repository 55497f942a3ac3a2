// Who takes part: a group plan's group (everyone in it), or a personal plan's creator and the
// friends added to it (the creator adds and removes them).

import { api } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { displayName } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { friendsWith } from "../../state/accounts.js";
import { loadFriends } from "../../state/live.js";
import { store } from "../../state/store.js";

async function addParticipant(view) {
  await attempt(loadFriends);
  const plan = view.record().data;
  const taken = new Set([plan.creator?.id, ...(plan.participants || []).map((user) => user.id)]);
  const choices = friendsWith(store, "accepted")
    .filter(({ user }) => !taken.has(user.id))
    .map(({ user }) => [user.id, displayName(user)]);
  if (!choices.length)
    return toast("All your friends take part already. Add friends on the Friends page.");
  formDialog({
    title: "Add a friend to this plan",
    submitLabel: "Add",
    fields: [formField("Friend", { name: "user" }, { control: "select", options: choices })],
    onSubmit: async (data) => {
      view.mergePlan(await api.post(`plans/${plan.id}/participants`, { user: Number(data.user) }));
    },
  });
}

async function removeParticipant(view, user) {
  const plan = view.record().data;
  const done = await attempt(() => api.del(`plans/${plan.id}/participants/${user.id}`));
  if (done !== undefined) {
    view.mergePlan({ ...plan, participants: plan.participants.filter((p) => p.id !== user.id) });
    toast(`${displayName(user)} no longer takes part.`);
  }
}

export function planPeople(view) {
  const node = h("section", { "aria-labelledby": "plan-people-title" });
  function render() {
    const plan = view.record().data;
    const title = h("h2", { id: "plan-people-title" }, "Who takes part");
    if (plan.group) {
      const group = store.groups.get(plan.group)?.data;
      replaceChildren(
        node,
        title,
        h(
          "p",
          {},
          "Everyone in ",
          h("a", { href: `#/groups/${plan.group}` }, group ? group.name : "the group"),
          ".",
        ),
      );
      return;
    }
    const mine = store.me && plan.creator && plan.creator.id === store.me.id;
    const row = (user, removable) =>
      h(
        "li",
        { class: "person" },
        h("span", { class: "person-name" }, displayName(user)),
        removable
          ? h(
              "button",
              {
                type: "button",
                class: "button button-quiet",
                "aria-label": `Remove ${displayName(user)} from the plan`,
                onclick: () => removeParticipant(view, user),
              },
              "Remove",
            )
          : null,
      );
    replaceChildren(
      node,
      h(
        "div",
        { class: "section-head" },
        title,
        mine
          ? h(
              "button",
              {
                type: "button",
                class: "button button-secondary",
                onclick: () => addParticipant(view),
              },
              "Add a friend",
            )
          : null,
      ),
      h(
        "ul",
        { class: "people", "aria-label": "Participants" },
        plan.creator ? row(plan.creator, false) : null,
        (plan.participants || []).map((user) => row(user, mine)),
      ),
    );
  }
  return { node, render };
}
