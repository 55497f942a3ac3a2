// Small pieces several screens show: status badges, segmented radio switches.

import { h } from "./dom.js";
import { STATUS_LABELS } from "./format.js";

export function statusBadge(status) {
  return h(
    "span",
    { class: `badge badge-${status}`, dataset: { status } },
    STATUS_LABELS[status] || status,
  );
}

/** A segmented control: one radio per [value, label]; onChange(value). */
export function segmented(name, legend, choices, checked, onChange) {
  const fieldset = h(
    "fieldset",
    { class: "segmented" },
    h("legend", { class: "visually-hidden" }, legend),
    choices.map(([value, label]) => {
      const id = `${name}-${value}`;
      return h(
        "span",
        { class: "segment" },
        h("input", { type: "radio", name, id, value, checked: value === checked }),
        h("label", { for: id }, label),
      );
    }),
  );
  fieldset.addEventListener("change", (event) => onChange(event.target.value));
  return fieldset;
}
