// The plan's map: one day's activities as markers joined by a route line in itinerary order.
// It redraws from the store, so a place someone else edits moves its marker live. Leaflet is
// vendored (vendor/leaflet) and loaded on first use; tiles come from MAP_TILE_URL (boot data).

import { h } from "../../lib/dom.js";
import { formatDay, safeZone } from "../../lib/format.js";
import { mappedDays, routePoints } from "./route.js";
import { t } from "../../lib/i18n.js";

const LEAFLET = "../../vendor/leaflet/leaflet-src.esm.js";

function mapConfig() {
  const boot = JSON.parse(document.getElementById("boot").textContent);
  return boot.map;
}

/** A Leaflet map in `box` with the configured tiles: `{ L, map, layer }`. */
export async function createMap(box) {
  const L = await import(LEAFLET);
  L.Icon.Default.imagePath = new URL("../../vendor/leaflet/images/", import.meta.url).href;
  const config = mapConfig();
  const map = L.map(box, { scrollWheelZoom: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>'); // i18n-ignore: a name
  L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  return { L, map, layer: L.layerGroup().addTo(map) };
}

function draw(leaflet, points) {
  const { L, layer } = leaflet;
  layer.clearLayers();
  const spots = points.map((point) => [point.lat, point.lng]);
  if (spots.length > 1) L.polyline(spots, { className: "route-line", weight: 4 }).addTo(layer);
  points.forEach((point, index) => {
    const label = `${index + 1}. ${point.title}${point.name ? ` (${point.name})` : ""}`;
    const marker = L.marker([point.lat, point.lng], { title: label, alt: label }).addTo(layer);
    const node = marker.getElement();
    node.dataset.activity = String(point.id);
    node.dataset.lat = String(point.lat);
    node.dataset.lng = String(point.lng);
  });
}

/** The map section of plan `view`; `render()` redraws it from the plan's activities. */
export function planMap(view) {
  const box = h("div", { class: "plan-map", id: "plan-map" });
  const picker = h("select", { id: "map-day", "aria-label": t("plan.map.day_on_the_map") });
  const node = h(
    "section",
    { class: "map-section", "aria-labelledby": "map-title", hidden: true },
    h("div", { class: "map-head" }, h("h2", { id: "map-title" }, t("plan.map.map")), picker),
    box,
  );
  let leaflet = null;
  let loading = null;
  let shown = "";
  picker.addEventListener("change", () => render());

  async function render() {
    const record = view.record();
    const activities = [...(record.activities?.values() || [])];
    const zone = safeZone(record.data.timezone);
    const days = mappedDays(activities, zone);
    node.hidden = days.length === 0;
    if (!days.length) return;
    const day = days.includes(picker.value) ? picker.value : days[0];
    picker.replaceChildren(
      ...days.map((key) => h("option", { value: key }, formatDay(`${key}T12:00:00Z`, "UTC"))),
    );
    picker.value = day;
    loading ||= createMap(box);
    leaflet ||= await loading;
    leaflet.map.invalidateSize();
    const points = routePoints(activities, zone, day);
    // Frame the day when it changes, not on every live edit (that would yank the view). The
    // map needs a view before its markers have elements.
    if (day !== shown) {
      const spots = points.map((point) => [point.lat, point.lng]);
      leaflet.map.fitBounds(spots, { padding: [32, 32], maxZoom: 15 });
    }
    draw(leaflet, points);
    shown = day;
  }
  return { node, render };
}
