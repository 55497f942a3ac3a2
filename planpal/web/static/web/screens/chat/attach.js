// The composer's two other ways to send: a photo or file (the file picker; the server judges
// the type) and a place (a small form; "Use my location" fills in the browser's position).

import { h } from "../../lib/dom.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { t } from "../../lib/i18n.js";

const ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,image/gif,.heic,.pdf,.gpx";

function coordinate(value, limit) {
  const number = Number(value);
  return value !== "" && Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
}

/** {lat, lng, location_name} from the form, or throws an error the form shows by its fields. */
function placeOf(data) {
  const lat = coordinate(data.lat.trim(), 90);
  const lng = coordinate(data.lng.trim(), 180);
  const fields = {};
  if (lat === null) fields.lat = [t("chat.attach.a_number_from_90_to")];
  if (lng === null) fields.lng = [t("chat.attach.a_number_from_180_to")];
  if (Object.keys(fields).length) throw { message: t("chat.attach.check_the_coordinates"), fields };
  return { kind: "location", lat, lng, location_name: data.location_name.trim(), text: "" };
}

function askForPlace(onPlace) {
  const here = h(
    "button",
    { type: "button", class: "button button-quiet" },
    t("chat.attach.use_my_location"),
  );
  const { form } = formDialog({
    title: t("chat.attach.share_a_location"),
    intro: navigator.geolocation ? here : null,
    fields: [
      formField(t("chat.attach.place_name"), {
        name: "location_name",
        maxlength: "200",
        autocomplete: "off",
      }),
      formField(t("plan.place_picker.latitude"), {
        name: "lat",
        inputmode: "decimal",
        required: true,
      }),
      formField(t("plan.place_picker.longitude"), {
        name: "lng",
        inputmode: "decimal",
        required: true,
      }),
    ],
    submitLabel: t("chat.attach.share"),
    onSubmit: (data) => onPlace(placeOf(data)),
  });
  here.addEventListener("click", () =>
    navigator.geolocation.getCurrentPosition((position) => {
      form.elements.lat.value = position.coords.latitude.toFixed(6);
      form.elements.lng.value = position.coords.longitude.toFixed(6);
    }),
  );
}

/** The "Attach" and "Place" buttons; `send(content)` sends what was chosen. */
export function attachButtons(send) {
  const picker = h("input", { type: "file", accept: ACCEPT, hidden: true, tabindex: "-1" });
  picker.addEventListener("change", () => {
    const [file] = picker.files;
    picker.value = "";
    if (file) send({ kind: "file", file, text: "" });
  });
  const button = (label, title, onclick) =>
    h("button", { type: "button", class: "button button-quiet", title, onclick }, label);
  return [
    picker,
    button(t("chat.attach.attach"), t("chat.attach.send_a_photo_or_a"), () => picker.click()),
    button(t("plan.activity_dialog.place"), t("chat.attach.share_a_location"), () =>
      askForPlace(send),
    ),
  ];
}
