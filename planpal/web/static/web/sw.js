// The service worker: keeps the app shell (the page and every static file of the client) so
// PlanPal opens with no network. Served at /sw.js by planpal/web/views.py, which prepends
// `VERSION` (a hash of the static files: a deploy changes it, so browsers install the new
// worker) and `SHELL` (the static URLs to keep). Data is not cached here: the page keeps its
// own snapshots and outbox in IndexedDB (offline/).
//
// - static files: from this version's cache, else the network;
// - page loads: the network first (the page embeds who is signed in), else the last page kept;
// - the API, the WebSocket and other origins: not touched.
// A new version waits until the page asks it to take over ("New version" prompt, app.js).

/* global VERSION, SHELL */
const CACHE = `planpal-${VERSION}`;
const PAGE = "/";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(SHELL);
      // The signed-in page; best effort (a signed-out visitor gets the sign-in page later).
      const page = await fetch(PAGE, { credentials: "same-origin", cache: "reload" });
      if (page.ok && !page.redirected) await cache.put(PAGE, page);
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const old = names.filter((name) => name.startsWith("planpal-") && name !== CACHE);
      await Promise.all(old.map((name) => caches.delete(name)));
      await self.clients.claim(); // the first install controls the page that registered it
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

async function fromNetworkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const url = new URL(request.url);
    if (response.ok && !response.redirected && url.pathname === PAGE) {
      await cache.put(PAGE, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(PAGE);
    if (kept) return kept;
    throw error;
  }
}

async function fromCacheThenNetwork(request) {
  const kept = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(fromNetworkThenCache(request));
  else if (SHELL.includes(url.pathname)) event.respondWith(fromCacheThenNetwork(request));
});
