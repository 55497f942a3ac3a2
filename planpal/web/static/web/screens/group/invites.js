// Invite links (owners and admins): create one with an expiry and a use limit, copy it, see how
// often each was used, revoke it.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatShort } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { t } from "../../lib/i18n.js";

const EXPIRY = [
  ["24", t("duration.days", { count: 1 })],
  ["72", t("duration.days", { count: 3 })],
  ["168", t("group.invites.one_week")],
  ["720", t("duration.days", { count: 30 })],
];

async function copy(url) {
  try {
    await navigator.clipboard.writeText(url);
    toast(t("group.invites.invite_link_copied_send_it"));
  } catch {
    toast(t("group.invites.select_the_link_and_copy"));
  }
}

function newLinkBox(invite) {
  const field = h("input", {
    readonly: true,
    value: invite.url,
    "aria-label": t("group.invites.invite_link_to_copy"),
  });
  field.addEventListener("focus", () => field.select());
  return h(
    "div",
    { class: "new-link card" },
    h("p", {}, t("group.invites.your_new_link_shown_once")),
    h(
      "div",
      { class: "copy-row" },
      field,
      h(
        "button",
        { type: "button", class: "button button-primary", onclick: () => copy(invite.url) },
        t("group.invites.copy_link"),
      ),
    ),
  );
}

function uses(invite) {
  return invite.max_uses
    ? t("group.invites.used_of", { count: invite.uses, max: invite.max_uses })
    : t("group.invites.used", { count: invite.uses });
}

function inviteRow(invite, revoke) {
  const state = invite.active
    ? t("group.invites.expires", { when: formatShort(invite.expires_at) })
    : invite.revoked_at
      ? t("group.invites.revoked")
      : t("group.invites.no_longer_valid");
  return h(
    "li",
    { class: invite.active ? "invite-row" : "invite-row inactive" },
    h("span", { class: "invite-prefix" }, `${invite.token_prefix}…`),
    h("span", { class: "muted" }, `${uses(invite)} · ${state}`),
    invite.active
      ? h(
          "button",
          {
            type: "button",
            class: "button button-quiet",
            "aria-label": t("group.invites.revoke_link_token_prefix_2", {
              token_prefix: invite.token_prefix,
            }),
            onclick: () => revoke(invite),
          },
          t("group.invites.revoke"),
        )
      : null,
  );
}

export function inviteLinks(groupId) {
  const list = h("ul", { class: "invite-list", "aria-label": t("group.invites.invite_links") });
  const fresh = h("div", { "aria-live": "polite" });
  const create = h(
    "button",
    { type: "button", class: "button button-secondary" },
    t("group.invites.new_invite_link"),
  );

  async function render() {
    const page = await attempt(() => api.get(`groups/${groupId}/invites?limit=50`));
    if (!page) return;
    replaceChildren(
      list,
      page.results.length
        ? page.results.map((invite) => inviteRow(invite, revoke))
        : h("li", { class: "empty" }, t("group.invites.no_invite_links_yet")),
    );
  }

  async function revoke(invite) {
    const sure = await confirmDialog(
      t("group.invites.revoke_link_token_prefix", { token_prefix: invite.token_prefix }),
      t("group.invites.nobody_can_join_with_it"),
      t("group.invites.revoke_link"),
    );
    if (!sure) return;
    if ((await attempt(() => api.del(`groups/${groupId}/invites/${invite.id}`))) === undefined)
      return;
    toast(t("group.invites.the_link_was_revoked"));
    render();
  }

  create.addEventListener("click", () =>
    formDialog({
      title: t("group.invites.new_invite_link"),
      submitLabel: t("group.invites.create_link"),
      fields: [
        formField(
          t("group.invites.valid_for"),
          { name: "expires_in_hours", value: "72" },
          { control: "select", options: EXPIRY },
        ),
        formField(t("group.invites.how_many_people_may_use"), {
          name: "max_uses",
          type: "number",
          min: "1",
          max: "1000",
          placeholder: t("group.invites.no_limit"),
        }),
      ],
      onSubmit: async (data) => {
        const body = { expires_in_hours: Number(data.expires_in_hours) };
        if (data.max_uses) body.max_uses = Number(data.max_uses);
        const invite = await api.post(`groups/${groupId}/invites`, body);
        replaceChildren(fresh, newLinkBox(invite));
        render();
        fresh.querySelector("input").focus();
      },
    }),
  );
  const node = h(
    "section",
    { "aria-labelledby": "invites-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "invites-title" }, t("group.invites.invite_links")),
      create,
    ),
    fresh,
    list,
  );
  return { node, render };
}
