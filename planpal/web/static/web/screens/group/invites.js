// Invite links (owners and admins): create one with an expiry and a use limit, copy it, see how
// often each was used, revoke it.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { formatShort } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";

const EXPIRY = [
  ["24", "1 day"],
  ["72", "3 days"],
  ["168", "1 week"],
  ["720", "30 days"],
];

async function copy(url) {
  try {
    await navigator.clipboard.writeText(url);
    toast("Invite link copied. Send it to the people you want in the group.");
  } catch {
    toast("Select the link and copy it yourself: this browser did not allow copying.");
  }
}

function newLinkBox(invite) {
  const field = h("input", {
    readonly: true,
    value: invite.url,
    "aria-label": "Invite link to copy",
  });
  field.addEventListener("focus", () => field.select());
  return h(
    "div",
    { class: "new-link card" },
    h("p", {}, "Your new link (shown once: copy it now):"),
    h(
      "div",
      { class: "copy-row" },
      field,
      h(
        "button",
        { type: "button", class: "button button-primary", onclick: () => copy(invite.url) },
        "Copy link",
      ),
    ),
  );
}

function uses(invite) {
  const limit = invite.max_uses ? ` of ${invite.max_uses}` : "";
  return `used ${invite.uses}${limit} ${invite.uses === 1 && !limit ? "time" : "times"}`;
}

function inviteRow(invite, revoke) {
  const state = invite.active
    ? `expires ${formatShort(invite.expires_at)}`
    : invite.revoked_at
      ? "revoked"
      : "no longer valid";
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
            "aria-label": `Revoke link ${invite.token_prefix}`,
            onclick: () => revoke(invite),
          },
          "Revoke",
        )
      : null,
  );
}

export function inviteLinks(groupId) {
  const list = h("ul", { class: "invite-list", "aria-label": "Invite links" });
  const fresh = h("div", { "aria-live": "polite" });
  const create = h(
    "button",
    { type: "button", class: "button button-secondary" },
    "New invite link",
  );

  async function render() {
    const page = await attempt(() => api.get(`groups/${groupId}/invites?limit=50`));
    if (!page) return;
    replaceChildren(
      list,
      page.results.length
        ? page.results.map((invite) => inviteRow(invite, revoke))
        : h("li", { class: "empty" }, "No invite links yet."),
    );
  }

  async function revoke(invite) {
    const sure = await confirmDialog(
      `Revoke link ${invite.token_prefix}…?`,
      "Nobody can join with it any more.",
      "Revoke link",
    );
    if (!sure) return;
    if ((await attempt(() => api.del(`groups/${groupId}/invites/${invite.id}`))) === undefined)
      return;
    toast("The link was revoked.");
    render();
  }

  create.addEventListener("click", () =>
    formDialog({
      title: "New invite link",
      submitLabel: "Create link",
      fields: [
        formField(
          "Valid for",
          { name: "expires_in_hours", value: "72" },
          { control: "select", options: EXPIRY },
        ),
        formField("How many people may use it", {
          name: "max_uses",
          type: "number",
          min: "1",
          max: "1000",
          placeholder: "No limit",
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
    h("div", { class: "section-head" }, h("h2", { id: "invites-title" }, "Invite links"), create),
    fresh,
    list,
  );
  return { node, render };
}
