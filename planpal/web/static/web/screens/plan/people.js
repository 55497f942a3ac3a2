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
import { t } from "../../lib/i18n.js";

async function addParticipant(view) {
  await attempt(loadFriends);
  const plan = view.record().data;
  const taken = new Set([plan.creator?.id, ...(plan.participants || []).map((user) => user.id)]);
  const choices = friendsWith(store, "accepted")
    .filter(({ user }) => !taken.has(user.id))
    .map(({ user }) => [user.id, displayName(user)]);
  if (!choices.length) return toast(t("plan.people.all_your_friends_take_part"));
  formDialog({
    title: t("plan.people.add_a_friend_to_this"),
    submitLabel: t("common.add"),
    fields: [
      formField(t("common.friend"), { name: "user" }, { control: "select", options: choices }),
    ],
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
    toast(t("plan.people.user_no_longer_takes_part", { user: displayName(user) }));
  }
}

export function planPeople(view) {
  const node = h("section", { "aria-labelledby": "plan-people-title" });
  function render() {
    const plan = view.record().data;
    const title = h("h2", { id: "plan-people-title" }, t("plan.people.who_takes_part"));
    if (plan.group) {
      const group = store.groups.get(plan.group)?.data;
      replaceChildren(
        node,
        title,
        h(
          "p",
          {},
          t("plan.people.everyone_in"),
          h(
            "a",
            { href: `#/groups/${plan.group}` },
            group ? group.name : t("plan.people.the_group"),
          ),
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
                "aria-label": t("plan.people.remove_user_from_the_plan", {
                  user: displayName(user),
                }),
                onclick: () => removeParticipant(view, user),
              },
              t("common.remove"),
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
              t("group.members.add_a_friend"),
            )
          : null,
      ),
      h(
        "ul",
        { class: "people", "aria-label": t("plan.people.participants") },
        plan.creator ? row(plan.creator, false) : null,
        (plan.participants || []).map((user) => row(user, mine)),
      ),
    );
  }
  return { node, render };
}
