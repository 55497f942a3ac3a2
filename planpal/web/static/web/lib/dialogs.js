// Forms and the shared modal dialogs: a labelled field, field-level errors, a form in a
// <dialog>, and "are you sure?".

import { h } from "./dom.js";
import { t } from "./i18n.js";

let fieldIds = 0;

function control(kind, id, attrs, options) {
  if (kind === "select") {
    const selected = String(attrs.value ?? "");
    return h(
      "select",
      { id, ...attrs },
      options.map(([value, text]) =>
        h("option", { value, selected: selected === String(value) }, text),
      ),
    );
  }
  if (kind === "textarea") {
    const area = h("textarea", { id, ...attrs, value: null });
    if (attrs.value) area.value = attrs.value;
    return area;
  }
  return h("input", { id, ...attrs });
}

/** A labelled control with a slot for its error: control is "input" | "select" | "textarea". */
export function formField(
  label,
  attrs,
  { control: kind = "input", options = [], hint = null } = {},
) {
  fieldIds += 1;
  const id = `field-${fieldIds}`;
  const hintId = hint ? `${id}-hint` : null;
  const input = control(kind, id, attrs, options);
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field", dataset: { field: attrs.name } },
    h("label", { for: id }, label),
    hint ? h("p", { class: "field-hint", id: hintId }, hint) : null,
    input,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

function clearErrors(form) {
  for (const hint of form.querySelectorAll(".field-error")) {
    hint.hidden = true;
    hint.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]"))
    input.removeAttribute("aria-invalid");
}

/** Show an ApiError in a form: each field's message beside it, the rest in the summary. */
export function showFormError(form, error) {
  clearErrors(form);
  let first = null;
  const unplaced = [];
  for (const [name, messages] of Object.entries(error.fields || {})) {
    const wrapper = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    const text = [].concat(messages).join(" ");
    if (!wrapper) {
      unplaced.push(text);
      continue;
    }
    const input = wrapper.querySelector("input, select, textarea");
    const hint = wrapper.querySelector(".field-error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-errormessage", hint.id);
    hint.textContent = text;
    hint.hidden = false;
    first = first || input;
  }
  const summary = form.querySelector(".form-error");
  summary.textContent = [error.message, ...unplaced].filter(Boolean).join(" ");
  summary.hidden = false;
  (first || summary).focus();
}

/** A submit handler that disables the button while it runs and shows errors in the form. */
export function onFormSubmit(form, handler) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      await handler(Object.fromEntries(new FormData(form)), form);
    } catch (error) {
      showFormError(form, error);
    } finally {
      submit.disabled = false;
    }
  });
}

export function formError() {
  return h("p", { class: "form-error", role: "alert", hidden: true, tabindex: "-1" });
}

/** A modal form. onSubmit(data, form) may throw an ApiError (shown in the form) or return
 *  false to keep the dialog open. */
export function formDialog({ title, intro = null, fields, submitLabel, onSubmit, danger = false }) {
  fieldIds += 1;
  const titleId = `dialog-title-${fieldIds}`;
  const cancel = h(
    "button",
    { type: "button", class: "button button-quiet" },
    t("lib.dialogs.cancel"),
  );
  const submitClass = danger ? "button button-danger" : "button button-primary";
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    formError(),
    fields,
    h(
      "div",
      { class: "dialog-actions" },
      cancel,
      h("button", { type: "submit", class: submitClass }, submitLabel),
    ),
  );
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": titleId },
    h("h2", { id: titleId }, title),
    intro,
    form,
  );
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  onFormSubmit(form, async (data) => {
    if ((await onSubmit(data, form)) !== false) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, form };
}

/** Ask before something that cannot be undone. Resolves true when confirmed. */
export function confirmDialog(title, text, confirmLabel) {
  return new Promise((resolve) => {
    let confirmed = false;
    const { dialog } = formDialog({
      title,
      intro: h("p", {}, text),
      fields: [],
      submitLabel: confirmLabel,
      danger: true,
      onSubmit: () => {
        confirmed = true;
      },
    });
    dialog.addEventListener("close", () => resolve(confirmed));
  });
}
