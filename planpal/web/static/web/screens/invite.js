// The invite page (`#/invites/<token>`, where an invite link leads): signed out, it offers to
// sign in or create an account and comes back here; signed in, one button joins the group.
// An expired, revoked or used-up link gets a page that says so.

import { api } from "../api.js";
import { crumbs, h, notice } from "../lib/dom.js";
import { toast } from "../lib/toast.js";
import { loadGroup } from "../state/live.js";
import { store } from "../state/store.js";

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
      h("h1", {}, "You're invited to a group on PlanPal"),
      h("p", {}, "Sign in or create an account, then join to plan the trip together."),
      h(
        "div",
        { class: "actions" },
        h("a", { class: "button button-primary", href: "#/register" }, "Create an account"),
        h("a", { class: "button button-secondary", href: "#/login" }, "Sign in"),
      ),
    ),
  );
}

function refused(main, error) {
  sessionStorage.removeItem(PENDING);
  const back = crumbs("#/", "← Your trips");
  if (error.status === 410) {
    return notice(
      main,
      "This invite link no longer works",
      "It has expired, was revoked, or has been used as many times as allowed. Ask the person " +
        "who sent it for a new link.",
      back,
    );
  }
  if (error.status === 404) {
    return notice(
      main,
      "This invite link is not valid",
      "Check that you copied the whole link, or ask for a new one.",
      back,
    );
  }
  return notice(main, "Could not join the group", error.message, back);
}

async function join(main, token, button) {
  button.disabled = true;
  try {
    const group = await api.post(`invites/${encodeURIComponent(token)}/accept`);
    sessionStorage.removeItem(PENDING);
    await loadGroup(group.id);
    toast(`You joined ${group.name}.`);
    window.location.hash = `#/groups/${group.id}/chat`;
  } catch (error) {
    refused(main, error);
    main.querySelector("h1").focus();
  }
}

export function renderInvite(main, token) {
  if (!store.me) return signedOut(main, token);
  const button = h("button", { type: "button", class: "button button-primary" }, "Join the group");
  button.addEventListener("click", () => join(main, token, button));
  main.replaceChildren(
    h(
      "section",
      { class: "card invite-card" },
      h("h1", {}, "Join the group"),
      h("p", {}, "You were invited to plan a trip together. Joining shows you its plans and chat."),
      h("div", { class: "actions" }, button),
    ),
  );
  return null;
}
