// Sign in and create an account (both end in a started session: `session.start(me)`), and
// the two pages of a forgotten password: ask for a reset link, and the page that link opens.

import { api } from "../api.js";
import { formError, formField, onFormSubmit } from "../lib/dialogs.js";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

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
  formField(t("auth.username"), { name: "username", autocomplete: "username", required: true });

const passwordField = (autocomplete) =>
  formField(t("auth.password"), {
    name: "password",
    type: "password",
    autocomplete,
    required: true,
  });

/** Sign-in and registration share one submit flow: `signIn(data)` resolves to the user. */
function onAuthSubmit(form, signIn, session) {
  onFormSubmit(form, async (data) => {
    await session.start(await signIn(data));
    window.location.hash = session.next();
  });
}

export function renderLogin(main, session) {
  const form = authForm(t("auth.sign_in"), t("auth.sign_in"), [
    usernameField(),
    passwordField("current-password"),
  ]);
  onAuthSubmit(form, (data) => api.post("auth/login", data), session);
  authPage(
    main,
    t("auth.sign_in_to_planpal"),
    t("auth.plan_trips_with_friends_everyone"),
    form,
    h(
      "div",
      { class: "stack" },
      h(
        "p",
        { class: "muted" },
        h("a", { href: "#/forgot-password" }, t("auth.forgot_your_password")),
      ),
      h(
        "p",
        { class: "muted" },
        t("auth.new_here"),
        h("a", { href: "#/register" }, t("auth.create_an_account")),
      ),
    ),
  );
}

export function renderRegister(main, session) {
  const form = authForm(t("auth.create_an_account"), t("auth.create_account"), [
    usernameField(),
    formField(t("auth.display_name"), { name: "display_name", autocomplete: "name" }),
    formField(t("auth.email"), {
      name: "email",
      type: "email",
      autocomplete: "email",
      required: true,
    }),
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
    t("auth.create_your_account"),
    t("auth.make_a_group_invite_friends"),
    form,
    h(
      "p",
      { class: "muted" },
      t("auth.already_have_an_account"),
      h("a", { href: "#/login" }, t("auth.sign_in")),
    ),
  );
}

const backToSignIn = () =>
  h("p", { class: "muted" }, h("a", { href: "#/login" }, t("auth.back_to_sign_in")));

/** A form replaced by what happened once it succeeded. */
function doneIn(form, text) {
  form.replaceWith(h("p", { role: "status" }, text));
}

export function renderForgotPassword(main) {
  const form = authForm(t("auth.reset_your_password"), t("auth.send_me_a_link"), [
    formField(t("auth.email"), {
      name: "email",
      type: "email",
      autocomplete: "email",
      required: true,
    }),
  ]);
  onFormSubmit(form, async (data) => {
    await api.post("auth/password-reset", data);
    doneIn(form, t("auth.if_an_account_has_this"));
  });
  authPage(
    main,
    t("auth.forgot_your_password"),
    t("auth.enter_the_e_mail_address"),
    form,
    backToSignIn(),
  );
}

/** The page a reset mail's link opens (`#/reset-password/<uid>/<token>`). */
export function renderResetPassword(main, uid, token) {
  const form = authForm(t("auth.choose_a_new_password"), t("auth.set_new_password"), [
    formField(t("auth.new_password"), {
      name: "new_password",
      type: "password",
      autocomplete: "new-password",
      required: true,
    }),
  ]);
  onFormSubmit(form, async (data) => {
    await api.post("auth/password-reset/confirm", { uid, token, ...data });
    doneIn(form, t("auth.your_password_is_set_and"));
  });
  authPage(
    main,
    t("auth.choose_a_new_password"),
    t("auth.setting_it_signs_your_account"),
    form,
    backToSignIn(),
  );
}
