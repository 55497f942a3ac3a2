// Sign in and create an account (both end in a started session: `session.start(me)`), and
// the two pages of a forgotten password: ask for a reset link, and the page that link opens.

import { api } from "../api.js";
import { formError, formField, onFormSubmit } from "../lib/dialogs.js";
import { h } from "../lib/dom.js";

function authPage(main, title, intro, form, footer) {
  main.replaceChildren(
    h(
      "section",
      { class: "auth" },
      h("div", { class: "auth-hero" }, h("h1", {}, title), h("p", {}, intro)),
      h("div", { class: "card auth-card" }, form, footer),
    ),
  );
}

function authForm(label, submitLabel, fields) {
  return h(
    "form",
    { class: "stack", novalidate: true, "aria-label": label },
    formError(),
    fields,
    h("button", { type: "submit", class: "button button-primary" }, submitLabel),
  );
}

const usernameField = () =>
  formField("Username", { name: "username", autocomplete: "username", required: true });

const passwordField = (autocomplete) =>
  formField("Password", { name: "password", type: "password", autocomplete, required: true });

/** Sign-in and registration share one submit flow: `signIn(data)` resolves to the user. */
function onAuthSubmit(form, signIn, session) {
  onFormSubmit(form, async (data) => {
    await session.start(await signIn(data));
    window.location.hash = session.next();
  });
}

export function renderLogin(main, session) {
  const form = authForm("Sign in", "Sign in", [usernameField(), passwordField("current-password")]);
  onAuthSubmit(form, (data) => api.post("auth/login", data), session);
  authPage(
    main,
    "Sign in to PlanPal",
    "Plan trips with friends. Everyone sees every change the moment it happens.",
    form,
    h(
      "div",
      { class: "stack" },
      h("p", { class: "muted" }, h("a", { href: "#/forgot-password" }, "Forgot your password?")),
      h("p", { class: "muted" }, "New here? ", h("a", { href: "#/register" }, "Create an account")),
    ),
  );
}

export function renderRegister(main, session) {
  const form = authForm("Create an account", "Create account", [
    usernameField(),
    formField("Display name", { name: "display_name", autocomplete: "name" }),
    formField("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
    passwordField("new-password"),
  ]);
  onAuthSubmit(
    form,
    async (data) => {
      await api.post("auth/register", data);
      return api.post("auth/login", { username: data.username, password: data.password });
    },
    session,
  );
  authPage(
    main,
    "Create your account",
    "Make a group, invite friends, and plan the trip together.",
    form,
    h("p", { class: "muted" }, "Already have an account? ", h("a", { href: "#/login" }, "Sign in")),
  );
}

const backToSignIn = () =>
  h("p", { class: "muted" }, h("a", { href: "#/login" }, "Back to sign in"));

/** A form replaced by what happened once it succeeded. */
function doneIn(form, text) {
  form.replaceWith(h("p", { role: "status" }, text));
}

export function renderForgotPassword(main) {
  const form = authForm("Reset your password", "Send me a link", [
    formField("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
  ]);
  onFormSubmit(form, async (data) => {
    await api.post("auth/password-reset", data);
    doneIn(
      form,
      "If an account has this address, a link to choose a new password is on its way. " +
        "It works once, within an hour.",
    );
  });
  authPage(
    main,
    "Forgot your password?",
    "Enter the e-mail address of your account: we send it a link to choose a new password.",
    form,
    backToSignIn(),
  );
}

/** The page a reset mail's link opens (`#/reset-password/<uid>/<token>`). */
export function renderResetPassword(main, uid, token) {
  const form = authForm("Choose a new password", "Set new password", [
    formField("New password", {
      name: "new_password",
      type: "password",
      autocomplete: "new-password",
      required: true,
    }),
  ]);
  onFormSubmit(form, async (data) => {
    await api.post("auth/password-reset/confirm", { uid, token, ...data });
    doneIn(form, "Your password is set, and every device was signed out. Sign in with it now.");
  });
  authPage(
    main,
    "Choose a new password",
    "Setting it signs your account out everywhere.",
    form,
    backToSignIn(),
  );
}
