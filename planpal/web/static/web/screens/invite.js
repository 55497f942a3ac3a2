// The invite page (`#/invites/<token>`, where an invite link leads): signed out, it offers to
// sign in or create an account and comes back here; signed in, one button joins the group.
// An expired, revoked or used-up link gets a page that says so.

import { api } from "../api.js";
import { crumbs, h, notice } from "../lib/dom.js";
import { toast } from "../lib/toast.js";
import { loadGroup } from "../state/live.js";
import { store } from "../state/store.js";
import { t } from "../lib/i18n.js";

const PENDING = "planpal.invite"; // the invite to come back to after signing in (this tab only)

/** Where to go after signing in: the invite that sent the user to sign in, else home. */
export function afterSignIn() {
  const token = sessionStorage.getItem(PENDING);
  return token ? `#/invites/${token}` : "#/";
}

function signedOut(main, token) {
  sessionStorage.setItem(PENDING, token);
  main.replaceChildren(
    h(
      "section",
      { class: "card invite-card" },
      h("h1", {}, t("invite.you_re_invited_to_a")),
      h("p", {}, t("invite.sign_in_or_create_an")),
      h(
        "div",
        { class: "actions" },
        h("a", { class: "button button-primary", href: "#/register" }, t("auth.create_an_account")),
        h("a", { class: "button button-secondary", href: "#/login" }, t("auth.sign_in")),
      ),
    ),
  );
}

function refused(main, error) {
  sessionStorage.removeItem(PENDING);
  const back = crumbs("#/", t("invite.your_trips"));
  if (error.status === 410) {
    return notice(main, t("invite.this_invite_link_no_longer"), t("invite.expired_or_used"), back);
  }
  if (error.status === 404) {
    return notice(
      main,
      t("invite.this_invite_link_is_not"),
      t("invite.check_that_you_copied_the"),
      back,
    );
  }
  return notice(main, t("invite.could_not_join_the_group"), error.message, back);
}

async function join(main, token, button) {
  button.disabled = true;
  try {
    const group = await api.post(`invites/${encodeURIComponent(token)}/accept`);
    sessionStorage.removeItem(PENDING);
    await loadGroup(group.id);
    toast(t("invite.you_joined_name", { name: group.name }));
    window.location.hash = `#/groups/${group.id}/chat`;
  } catch (error) {
    refused(main, error);
    main.querySelector("h1").focus();
  }
}

export function renderInvite(main, token) {
  if (!store.me) return signedOut(main, token);
  const button = h(
    "button",
    { type: "button", class: "button button-primary" },
    t("invite.join_the_group"),
  );
  button.addEventListener("click", () => join(main, token, button));
  main.replaceChildren(
    h(
      "section",
      { class: "card invite-card" },
      h("h1", {}, t("invite.join_the_group")),
      h("p", {}, t("invite.you_were_invited_to_plan")),
      h("div", { class: "actions" }, button),
    ),
  );
  return null;
}
