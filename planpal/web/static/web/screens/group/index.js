// The group page: its head (chat, edit, delete, leave), members and roles, invite links and
// webhooks (owners and admins), and the activity feed. Members and the head update live.

import { api } from "../../api.js";
import { h, crumbs, notice } from "../../lib/dom.js";
import { feedList } from "../../lib/feed.js";
import { errorMessage } from "../../lib/toast.js";
import { loadGroup, loadMembers } from "../../state/live.js";
import { onChange, store } from "../../state/store.js";
import { pollsSection } from "../polls/index.js";
import { groupHeader, isManager } from "./header.js";
import { inviteLinks } from "./invites.js";
import { memberList } from "./members.js";
import { webhookList } from "./webhooks.js";
import { t } from "../../lib/i18n.js";

async function load(main, groupId) {
  try {
    if (!store.groups.has(groupId)) await loadGroup(groupId);
    await loadMembers(groupId);
    return store.groups.get(groupId);
  } catch (error) {
    if (error.status === 404) {
      notice(main, t("group.group_not_found"), t("group.it_may_have_been_deleted"));
    } else notice(main, t("group.could_not_load_the_group"), errorMessage(error));
    return null;
  }
}

function activity(groupId) {
  const feed = feedList(t("group.group_activity"), (url) =>
    url ? api.get(url) : api.get(`groups/${groupId}/events?limit=20`),
  );
  const node = h(
    "section",
    { "aria-labelledby": "group-feed-title" },
    h("h2", { id: "group-feed-title" }, t("group.activity")),
    feed.node,
  );
  return { node, render: feed.render };
}

export async function renderGroup(main, groupId) {
  const record = await load(main, groupId);
  if (!record) return null;
  const head = groupHeader(groupId);
  const members = memberList(groupId);
  const managing = isManager(record.data) ? [inviteLinks(groupId), webhookList(groupId)] : [];
  const feed = activity(groupId);
  const polls = pollsSection(`group:${groupId}`);
  const parts = [head, members, polls, ...managing, feed];
  // Desktop: people and links beside the activity feed; a phone stacks them.
  main.replaceChildren(
    crumbs(),
    h(
      "div",
      { class: "group-page" },
      head.node,
      h(
        "div",
        { class: "group-layout" },
        h(
          "div",
          {},
          members.node,
          polls.node,
          managing.map((part) => part.node),
        ),
        feed.node,
      ),
    ),
  );
  parts.forEach((part) => part.render());
  const stop = onChange(({ kind, id }) => {
    if (id !== groupId) return;
    if (kind === "group") head.render();
    else if (kind === "members") {
      members.render();
      feed.render();
    } else if (kind === "group-removed") {
      notice(main, t("group.you_are_no_longer_in"), t("group.it_was_deleted_or_you"));
    }
  });
  return () => {
    stop();
    polls.stop();
  };
}
