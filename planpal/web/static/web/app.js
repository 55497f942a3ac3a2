// PlanPal web client: boot, hash routing, the top bar (connection, notifications, sign out)
// and the sign-in / register screens. Screens live in home.js, plan.js and chat.js.

import { api } from "./api.js";
import { renderChat } from "./chat.js";
import { renderHome } from "./home.js";
import { setupNotifications } from "./notifications.js";
import { renderPlan } from "./plan.js";
import { loadAll, resetStore, rt, store } from "./state.js";
import { errorMessage, formField, h, showFormError, toast } from "./ui.js";

const main = document.getElementById("main");
let cleanup = null; // the current screen's teardown (listeners, timers)

// ---------------------------------------------------------------------------- routing
const routes = [
  [/^#\/login$/, () => renderLogin()],
  [/^#\/register$/, () => renderRegister()],
  [/^#\/plans\/(\d+)$/, (id) => renderPlan(main, Number(id))],
  [/^#\/groups\/(\d+)\/chat$/, (id) => renderChat(main, Number(id))],
  [/^#?\/?$/, () => renderHome(main)],
];

async function route() {
  const hash = window.location.hash || "#/";
  const publicPage = hash === "#/login" || hash === "#/register";
  if (!store.me && !publicPage) {
    if (!(await restoreSession())) {
      window.location.hash = "#/login";
      return;
    }
  }
  if (store.me && publicPage) {
    window.location.hash = "#/";
    return;
  }
  if (cleanup) cleanup();
  cleanup = null;
  for (const [pattern, render] of routes) {
    const match = hash.match(pattern);
    if (match) {
      cleanup = (await render(...match.slice(1))) || null;
      focusHeading();
      return;
    }
  }
  window.location.hash = "#/";
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

// ---------------------------------------------------------------------------- session
const boot = JSON.parse(document.getElementById("boot").textContent);
let restoring = null;

function restoreSession() {
  // The page embeds who is signed in, so a signed-out visitor never sees a 401.
  if (!restoring) {
    restoring = boot.me
      ? startSession(boot.me).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);
  }
  return restoring;
}

async function startSession(me) {
  store.me = me;
  document.getElementById("topbar-right").hidden = false;
  document.getElementById("me-name").textContent = me.display_name || me.username;
  rt.start();
  await loadAll();
}

async function signOut() {
  try {
    await api.post("auth/logout");
  } catch {
    /* the session is dropped locally either way */
  }
  boot.me = null;
  restoring = null;
  resetStore();
  document.getElementById("topbar-right").hidden = true;
  window.location.hash = "#/login";
}

// ---------------------------------------------------------------------------- connection
const CONNECTION_TEXT = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

rt.addEventListener("state", (event) => {
  const { state } = event.detail;
  const indicator = document.getElementById("connection");
  indicator.dataset.state = state;
  indicator.querySelector(".connection-text").textContent = CONNECTION_TEXT[state] || state;
  indicator.title =
    state === "connected"
      ? "Connected: changes appear as they happen"
      : "Not connected: changes will appear when the connection is back";
});
function sessionEnded() {
  if (!store.me) return;
  boot.me = null;
  restoring = null;
  resetStore();
  document.getElementById("topbar-right").hidden = true;
  toast("Your session has ended. Please sign in again.", { error: true });
  window.location.hash = "#/login";
}
window.addEventListener("planpal:unauthenticated", sessionEnded);
// A 4001 close: ask the API whether the session is gone (a 401 there signs out).
rt.addEventListener("unauthenticated", () => api.get("me").catch(() => {}));
rt.addEventListener("fatal", () => {
  toast("Live updates are not allowed from this address.", { error: true });
});

// ---------------------------------------------------------------------------- sign in
function authPage(title, intro, form, footer) {
  main.replaceChildren(
    h(
      "section",
      { class: "auth" },
      h("div", { class: "auth-hero" }, h("h1", {}, title), h("p", {}, intro)),
      h("div", { class: "card auth-card" }, form, footer),
    ),
  );
}

function renderLogin() {
  const form = h(
    "form",
    { class: "stack", novalidate: true, "aria-label": "Sign in" },
    h("p", { class: "form-error", role: "alert", hidden: true, tabindex: "-1" }),
    formField("Username", { name: "username", autocomplete: "username", required: true }),
    formField("Password", {
      name: "password",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    h("button", { type: "submit", class: "button button-primary" }, "Sign in"),
  );
  onAuthSubmit(form, (data) => api.post("auth/login", data));
  authPage(
    "Sign in to PlanPal",
    "Plan trips with friends. Everyone sees every change the moment it happens.",
    form,
    h("p", { class: "muted" }, "New here? ", h("a", { href: "#/register" }, "Create an account")),
  );
}

// Sign-in and registration share one submit flow: `signIn(data)` resolves to the signed-in user.
function onAuthSubmit(form, signIn) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await startSession(await signIn(Object.fromEntries(new FormData(form))));
      window.location.hash = "#/";
    } catch (error) {
      showFormError(form, error);
    } finally {
      button.disabled = false;
    }
  });
}

function renderRegister() {
  const form = h(
    "form",
    { class: "stack", novalidate: true, "aria-label": "Create an account" },
    h("p", { class: "form-error", role: "alert", hidden: true, tabindex: "-1" }),
    formField("Username", { name: "username", autocomplete: "username", required: true }),
    formField("Display name", { name: "display_name", autocomplete: "name" }),
    formField("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
    formField("Password", {
      name: "password",
      type: "password",
      autocomplete: "new-password",
      required: true,
    }),
    h("button", { type: "submit", class: "button button-primary" }, "Create account"),
  );
  onAuthSubmit(form, async (data) => {
    await api.post("auth/register", data);
    return api.post("auth/login", { username: data.username, password: data.password });
  });
  authPage(
    "Create your account",
    "Make a group, invite friends, and plan the trip together.",
    form,
    h("p", { class: "muted" }, "Already have an account? ", h("a", { href: "#/login" }, "Sign in")),
  );
}

// ---------------------------------------------------------------------------- boot
document.getElementById("logout").addEventListener("click", signOut);
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault(); // the fragment is the router's: focus instead of navigating
  main.focus();
});
setupNotifications((target) => {
  window.location.hash = target;
});
window.addEventListener("hashchange", () => {
  route().catch((error) => toast(errorMessage(error), { error: true }));
});
window.planpal = { rt, store }; // for debugging in the console, and for the browser tests
route().catch((error) => toast(errorMessage(error), { error: true }));
