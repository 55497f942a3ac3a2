// The composer's two other ways to send: a photo or file (the file picker; the server judges
// the type) and a place (a small form; "Use my location" fills in the browser's position).

import { h } from "../../lib/dom.js";
import { formDialog, formField } from "../../lib/dialogs.js";

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
  if (lat === null) fields.lat = ["A number from -90 to 90."];
  if (lng === null) fields.lng = ["A number from -180 to 180."];
  if (Object.keys(fields).length) throw { message: "Check the coordinates.", fields };
  return { kind: "location", lat, lng, location_name: data.location_name.trim(), text: "" };
}

function askForPlace(onPlace) {
  const here = h("button", { type: "button", class: "button button-quiet" }, "Use my location");
  const { form } = formDialog({
    title: "Share a location",
    intro: navigator.geolocation ? here : null,
    fields: [
      formField("Place name", { name: "location_name", maxlength: "200", autocomplete: "off" }),
      formField("Latitude", { name: "lat", inputmode: "decimal", required: true }),
      formField("Longitude", { name: "lng", inputmode: "decimal", required: true }),
    ],
    submitLabel: "Share",
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
    button("Attach", "Send a photo or a file (PDF, GPX)", () => picker.click()),
    button("Place", "Share a location", () => askForPlace(send)),
  ];
}
