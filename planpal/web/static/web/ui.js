// Small DOM and formatting helpers shared by the screens (no framework).

/** h("button", {class: "x", onclick: fn}, "text", child, [more]) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key in el && !key.includes("-") && typeof value !== "string") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace a container's children, keeping keyboard focus on the element with the same
 *  data-key (re-rendering a list must not throw the user's focus away). */
export function replaceChildren(container, ...children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : null;
  container.replaceChildren();
  append(container, children);
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

// ---------------------------------------------------------------------------- announcements
let toastTimer = null;

/** Show a short message; errors are announced assertively (role=alert). */
export function toast(message, { error = false } = {}) {
  const region = document.getElementById(error ? "alert" : "status");
  const other = document.getElementById(error ? "status" : "alert");
  other.textContent = "";
  region.textContent = message;
  region.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    region.textContent = "";
    region.hidden = true;
  }, error ? 8000 : 4000);
}

export function errorMessage(error) {
  const fields = error.fields || {};
  const details = Object.entries(fields)
    .filter(([name]) => name !== "non_field_errors")
    .map(([name, messages]) => `${name.replaceAll("_", " ")}: ${[].concat(messages).join(" ")}`);
  return [error.message, ...details].join(" ");
}

// ---------------------------------------------------------------------------- time
const formatters = new Map();

function formatter(timeZone, options) {
  const key = JSON.stringify([timeZone, options]);
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(undefined, { timeZone, ...options }));
  }
  return formatters.get(key);
}

export function safeZone(timeZone) {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

export function formatDay(iso, timeZone) {
  return formatter(timeZone, { weekday: "long", day: "numeric", month: "long" }).format(
    new Date(iso),
  );
}

export function formatTime(iso, timeZone) {
  return formatter(timeZone, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

export function formatDateRange(startIso, endIso, timeZone) {
  const options = { day: "numeric", month: "short", year: "numeric" };
  const start = formatter(timeZone, options).format(new Date(startIso));
  const end = formatter(timeZone, options).format(new Date(endIso));
  return start === end ? start : `${start} – ${end}`;
}

export function formatShort(iso) {
  return formatter(undefined, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD (for grouping). */
export function dayKey(iso, timeZone) {
  const parts = zonedParts(new Date(iso), timeZone);
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function zonedParts(date, timeZone) {
  const parts = {};
  const f = formatter(timeZone, {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  });
  for (const { type, value } of f.formatToParts(date)) parts[type] = Number(value);
  return parts;
}

/** An instant as the value of <input type="datetime-local"> in a time zone. */
export function toLocalInput(iso, timeZone) {
  const p = zonedParts(new Date(iso), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A datetime-local value read as wall time in `timeZone` → ISO 8601 UTC. */
export function fromLocalInput(value, timeZone) {
  const [date, time] = value.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, hh, mm);
  let guess = wall;
  for (let i = 0; i < 3; i += 1) {
    const p = zonedParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wall - shown;
  }
  return new Date(guess).toISOString();
}

export function initials(user) {
  const name = (user && (user.display_name || user.username)) || "?";
  return name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

export function displayName(user) {
  return (user && (user.display_name || user.username)) || "Someone";
}

export const STATUS_LABELS = {
  upcoming: "Upcoming",
  ongoing: "Ongoing",
  completed: "Completed",
  cancelled: "Cancelled",
};

export function statusBadge(status) {
  return h(
    "span",
    { class: `badge badge-${status}`, dataset: { status } },
    STATUS_LABELS[status] || status,
  );
}

// ---------------------------------------------------------------------------- forms and dialogs
let fieldIds = 0;

/** A labelled control with a slot for its error: control is "input" | "select" | "textarea". */
export function formField(label, attrs, { control = "input", options = [], hint = null } = {}) {
  fieldIds += 1;
  const id = `field-${fieldIds}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input =
    control === "select"
      ? h(
          "select",
          { id, ...attrs },
          options.map(([value, text]) =>
            h("option", { value, selected: String(attrs.value ?? "") === String(value) }, text),
          ),
        )
      : h(control, { id, ...attrs, ...(control === "textarea" ? { value: null } : {}) });
  if (control === "textarea" && attrs.value) input.value = attrs.value;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field", dataset: { field: attrs.name } },
    h("label", { for: id }, label),
    hint ? h("p", { class: "field-hint", id: hintId }, hint) : null,
    input,
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
}

export function showFormError(form, error) {
  for (const hint of form.querySelectorAll(".field-error")) {
    hint.hidden = true;
    hint.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
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
    hint.textContent = text;
    hint.hidden = false;
    first = first || input;
  }
  const summary = form.querySelector(".form-error");
  summary.textContent = [error.message, ...unplaced].filter(Boolean).join(" ");
  summary.hidden = false;
  (first || summary).focus();
}

/** A modal form. onSubmit(data, form) may throw an ApiError (shown in the form) or return
 *  false to keep the dialog open. */
export function formDialog({ title, intro = null, fields, submitLabel, onSubmit }) {
  fieldIds += 1;
  const titleId = `dialog-title-${fieldIds}`;
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { class: "form-error", role: "alert", hidden: true, tabindex: "-1" }),
    fields,
    h(
      "div",
      { class: "dialog-actions" },
      h("button", { type: "button", class: "button button-quiet", value: "cancel" }, "Cancel"),
      h("button", { type: "submit", class: "button button-primary" }, submitLabel),
    ),
  );
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": titleId },
    h("h2", { id: titleId }, title),
    intro,
    form,
  );
  form.querySelector('[value="cancel"]').addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      const keepOpen = (await onSubmit(Object.fromEntries(new FormData(form)), form)) === false;
      if (!keepOpen) dialog.close();
    } catch (error) {
      showFormError(form, error);
    } finally {
      submit.disabled = false;
    }
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
      onSubmit: () => {
        confirmed = true;
      },
    });
    dialog.addEventListener("close", () => resolve(confirmed));
  });
}
