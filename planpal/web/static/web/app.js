// PlanPal web client: boot, hash routing, the session, and the top bar (connection indicator,
// notifications, sign out). Screens live in screens/, the store in state/, helpers in lib/.

import { api } from "./api.js";
import { setupLanguageSwitch, translateShell } from "./lib/language.js";
import { errorMessage, toast } from "./lib/toast.js";
import {
  renderForgotPassword,
  renderLogin,
  renderRegister,
  renderResetPassword,
} from "./screens/auth.js";
import { setupNotifications } from "./screens/bell.js";
import { renderChat, renderConversation } from "./screens/chat/index.js";
import { renderConversations } from "./screens/conversations.js";
import { renderFriends } from "./screens/friends.js";
import { renderGroup } from "./screens/group/index.js";
import { renderProfile } from "./screens/profile.js";
import { renderHome } from "./screens/home.js";
import { afterSignIn, renderInvite } from "./screens/invite.js";
import { renderPlan } from "./screens/plan/index.js";
import { snapshots } from "./offline/device.js";
import { forgetShellPage, installApp } from "./offline/install.js";
import { keepCopy } from "./offline/keep.js";
import { setupSyncPanel } from "./offline/panel.js";
import { startSync } from "./offline/sync.js";
import { endSession, loadAll, rt } from "./state/live.js";
import { onChange, store } from "./state/store.js";
import { t } from "./lib/i18n.js";

const main = document.getElementById("main");
const boot = JSON.parse(document.getElementById("boot").textContent);
let cleanup = null; // the current screen's teardown (listeners, timers)
let restoring = null;

// ---------------------------------------------------------------------------- session
const session = {
  async start(me) {
    store.me = me;
    document.getElementById("topbar-right").hidden = false;
    document.getElementById("main-nav").hidden = false;
    document.getElementById("me-name").textContent = me.display_name || me.username;
    snapshots.setOwner(me.id); // screens open from this user's saved copies when offline
    await startSync();
    rt.start();
    await loadAll();
  },
  next: afterSignIn,
  end() {
    boot.me = null;
    restoring = null;
    endSession();
    // This device forgets what it showed; writes still waiting stay for the same account.
    snapshots.clear();
    snapshots.setOwner(null);
    forgetShellPage();
    document.getElementById("topbar-right").hidden = true;
    document.getElementById("main-nav").hidden = true;
    window.location.hash = "#/login";
  },
};

function restoreSession() {
  // The page embeds who is signed in, so a signed-out visitor never sees a 401.
  if (!restoring) {
    restoring = boot.me
      ? session.start(boot.me).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);
  }
  return restoring;
}

async function signOut() {
  // Signing out closes this session's connections (4001) on the server: stop ours first, or
  // its close would look like a revoked session and ask the API, which logs a 401.
  rt.stop();
  await api.post("auth/logout").catch(() => {}); // the session is dropped locally either way
  session.end();
}

function sessionEnded() {
  if (!store.me) return;
  session.end();
  toast(t("app.your_session_has_ended_please"), { error: true });
}

// ---------------------------------------------------------------------------- routing
const PUBLIC = [
  [/^#\/login$/, () => renderLogin(main, session)],
  [/^#\/register$/, () => renderRegister(main, session)],
  [/^#\/forgot-password$/, () => renderForgotPassword(main)],
];
// Open to everyone, whether signed in or not.
const OPEN = [
  [/^#\/invites\/([\w-]+)$/, (token) => renderInvite(main, token)],
  // A reset mail's link: whoever is signed in here, the link's account gets the password.
  [
    /^#\/reset-password\/([\w-]+)\/([\w-]+)$/,
    (uid, token) => renderResetPassword(main, uid, token),
  ],
];
const PRIVATE = [
  [/^#\/plans\/(\d+)$/, (id) => renderPlan(main, Number(id))],
  [/^#\/plans\/(\d+)\/budget$/, (id) => renderPlan(main, Number(id), "budget")],
  [/^#\/groups\/(\d+)\/chat$/, (id) => renderChat(main, Number(id))],
  [/^#\/groups\/(\d+)$/, (id) => renderGroup(main, Number(id))],
  [/^#\/conversations$/, () => renderConversations(main)],
  [/^#\/conversations\/(\d+)$/, (id) => renderConversation(main, Number(id))],
  [/^#\/friends$/, () => renderFriends(main)],
  [/^#\/profile$/, () => renderProfile(main)],
  [/^#?\/?$/, () => renderHome(main)],
];

function matchRoute(routes, hash) {
  for (const [pattern, render] of routes) {
    const match = hash.match(pattern);
    if (match) return () => render(...match.slice(1));
  }
  return null;
}

async function route() {
  const hash = window.location.hash || "#/";
  const open = matchRoute(OPEN, hash);
  if (open) {
    await restoreSession();
    return show(open);
  }
  const publicPage = matchRoute(PUBLIC, hash);
  if (!store.me && !publicPage && !(await restoreSession())) {
    window.location.hash = "#/login";
    return;
  }
  if (store.me && publicPage) {
    window.location.hash = "#/";
    return;
  }
  const render = publicPage || matchRoute(PRIVATE, hash);
  if (!render) {
    window.location.hash = "#/";
    return;
  }
  await show(render);
}

async function show(render) {
  if (cleanup) cleanup();
  cleanup = (await render()) || null;
  markNavigation();
  focusHeading();
}

/** The main navigation marks the section the page belongs to. */
function markNavigation() {
  const hash = window.location.hash || "#/";
  for (const link of document.querySelectorAll(".main-nav a")) {
    const target = link.getAttribute("href");
    const here = target === "#/" ? /^#\/?(plans\/|$)/.test(hash) : hash.startsWith(target);
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function focusHeading() {
  // A route change is a new page for screen readers: move focus to its heading.
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
}

// ---------------------------------------------------------------------------- connection
const CONNECTION_TEXT = {
  connecting: t("app.connecting"),
  connected: t("app.live"),
  reconnecting: t("app.reconnecting"),
  offline: t("app.offline"),
};

function showConnection(state) {
  const indicator = document.getElementById("connection");
  indicator.dataset.state = state;
  indicator.querySelector(".connection-text").textContent = CONNECTION_TEXT[state] || state;
  indicator.title =
    state === "connected"
      ? t("app.connected_changes_appear_as_they")
      : t("app.not_connected_changes_will_appear");
}

// ---------------------------------------------------------------------------- boot
translateShell();
setupLanguageSwitch(document.getElementById("language"), () => Boolean(store.me));
rt.addEventListener("state", (event) => showConnection(event.detail.state));
// A 4001 close: ask the API whether the session is gone (a 401 there signs out).
rt.addEventListener("unauthenticated", () => api.get("me").catch(() => {}));
rt.addEventListener("fatal", () => {
  toast(t("app.live_updates_are_not_allowed"), { error: true });
});
window.addEventListener("planpal:unauthenticated", sessionEnded);
document.getElementById("logout").addEventListener("click", signOut);
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault(); // the fragment is the router's: focus instead of navigating
  main.focus();
});
setupNotifications((target) => {
  window.location.hash = target;
});
const routeOrToast = () => route().catch((error) => toast(errorMessage(error), { error: true }));
window.addEventListener("hashchange", routeOrToast);
window.planpal = { rt, store }; // for debugging in the console, and for the browser tests
setupSyncPanel();
onChange(keepCopy); // the device's copies follow what the screens show
routeOrToast();
installApp();
