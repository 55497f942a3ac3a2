// The installable app's page side: registers the service worker (sw.js, served at /sw.js) and,
// when a deploy brought a new version, offers to reload into it instead of switching under the
// user's feet (a half-filled form would be lost).

import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

function showUpdate(worker) {
  if (document.getElementById("update-bar")) return;
  const reload = h(
    "button",
    { type: "button", class: "button button-primary" },
    t("offline.reload"),
  );
  reload.addEventListener("click", () => {
    reload.disabled = true;
    worker.postMessage({ type: "skip-waiting" }); // "controllerchange" then reloads the page
  });
  const bar = h(
    "div",
    { class: "update-bar", id: "update-bar", role: "status" },
    h("span", {}, t("offline.new_version")),
    reload,
  );
  document.body.append(bar);
}

function watch(registration) {
  const offer = (worker) => {
    // No controller: the first install, nothing older to replace.
    if (worker && navigator.serviceWorker.controller) showUpdate(worker);
  };
  offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  });
}

/** Register the worker; resolves to its registration (null where there are no workers). */
export async function installApp() {
  if (!("serviceWorker" in navigator)) return null;
  let hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // The first install claiming this page is not an update: only a replacement reloads.
    if (hadController) window.location.reload();
    hadController = true;
  });
  try {
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    watch(registration);
    // A tab left open for days still learns of a deploy.
    setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
    return registration;
  } catch {
    return null; // e.g. a non-secure origin: the app works, just not offline
  }
}

/** Forget the kept page (it embeds who was signed in): called when signing out. */
export async function forgetShellPage() {
  if (!globalThis.caches) return;
  for (const name of await caches.keys()) {
    if (name.startsWith("planpal-")) await (await caches.open(name)).delete("/");
  }
}
