// The activity form's place: search the geocoder (GET places/search) or click the map; either
// fills the place name, address and coordinates, which the user can still edit by hand.

import { api } from "../../api.js";
import { formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { createMap } from "./map.js";
import { t } from "../../lib/i18n.js";

const DEFAULT_VIEW = [[20, 0], 2];

function searchMessage(error) {
  if (error.code === "geocoder_disabled") {
    return t("plan.place_picker.place_search_is_not_set");
  }
  if (error.status === 429) return t("plan.place_picker.too_many_searches_wait_a");
  if (error.code === "geocoder_unavailable")
    return t("plan.place_picker.place_search_is_not_answering");
  return error.message || t("plan.place_picker.place_search_failed");
}

function coordinateFields(base) {
  const field = (label, name) =>
    formField(label, { name, inputmode: "decimal", value: base[name] ?? "" });
  return h(
    "div",
    { class: "field-row" },
    field(t("plan.place_picker.latitude"), "lat"),
    field(t("plan.place_picker.longitude"), "lng"),
  );
}

/** Fills the form's place fields from a search result or a clicked point. */
function fillPlace(form, place) {
  for (const name of ["location_name", "location_address", "lat", "lng"]) {
    if (place[name] !== undefined) form.elements[name].value = place[name];
  }
}

function searchBox(getForm, onPick) {
  const input = h("input", {
    type: "search",
    id: "place-search",
    "aria-label": t("plan.place_picker.search_a_place"),
  });
  const button = h(
    "button",
    { type: "button", class: "button button-quiet" },
    t("plan.place_picker.search"),
  );
  const status = h("p", { class: "field-hint", role: "status" });
  const results = h("ul", {
    class: "place-results",
    "aria-label": t("plan.place_picker.places_found"),
  });
  async function search() {
    const q = input.value.trim();
    results.replaceChildren();
    if (q.length < 2)
      return (status.textContent = t("plan.place_picker.type_at_least_2_characters"));
    status.textContent = t("plan.place_picker.searching");
    try {
      const answer = await api.get(`places/search?q=${encodeURIComponent(q)}`);
      status.textContent = answer.results.length
        ? answer.attribution || ""
        : t("plan.place_picker.no_place_found");
      results.replaceChildren(...answer.results.map((place) => resultItem(place)));
    } catch (error) {
      status.textContent = searchMessage(error);
    }
  }
  function resultItem(place) {
    const pick = () => {
      fillPlace(getForm(), place);
      onPick(place);
    };
    const label = place.location_address || place.location_name;
    return h("li", {}, h("button", { type: "button", class: "link-button", onclick: pick }, label));
  }
  button.addEventListener("click", search);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter searches; it must not submit the activity form
    search();
  });
  return h(
    "div",
    { class: "place-search" },
    h("div", { class: "field-row" }, input, button),
    status,
    results,
  );
}

/** The place part of the activity form: `{ nodes, start(form) }`; start() draws the map once the
 *  dialog is open (Leaflet needs a box with a size). */
export function placePicker(base) {
  const box = h("div", { class: "picker-map", id: "picker-map" });
  let picked = null;
  let form = null;
  let leaflet = null;
  const show = (lat, lng) => {
    if (!leaflet) return;
    if (picked) picked.setLatLng([lat, lng]);
    else
      picked = leaflet.L.marker([lat, lng], { title: t("plan.place_picker.picked_place") }).addTo(
        leaflet.layer,
      );
  };
  const onPick = (place) => {
    show(Number(place.lat), Number(place.lng));
    leaflet?.map.setView([Number(place.lat), Number(place.lng)], 15);
  };
  const hint = h("p", { class: "field-hint" }, t("plan.place_picker.or_click_the_map_to"));
  const nodes = [
    searchBox(() => form, onPick),
    formField(t("plan.place_picker.address"), {
      name: "location_address",
      maxlength: "500",
      value: base.location_address || "",
    }),
    coordinateFields(base),
    hint,
    box,
  ];
  async function start(theForm) {
    form = theForm;
    try {
      leaflet = await createMap(box);
    } catch {
      // Offline before the service worker kept the map's code: the fields above still work.
      hint.hidden = true;
      box.hidden = true;
      return;
    }
    const has = base.lat != null && base.lat !== "";
    if (has) leaflet.map.setView([Number(base.lat), Number(base.lng)], 14);
    else leaflet.map.setView(...DEFAULT_VIEW);
    if (has) show(Number(base.lat), Number(base.lng));
    leaflet.map.on("click", ({ latlng }) => {
      const lat = latlng.lat.toFixed(6);
      const lng = latlng.wrap().lng.toFixed(6);
      fillPlace(form, { lat, lng });
      show(Number(lat), Number(lng));
    });
  }
  return { nodes, start };
}
