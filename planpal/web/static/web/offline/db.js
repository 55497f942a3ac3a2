// The client's IndexedDB database, behind four promise-returning calls. Two stores:
// "snapshots" (the last REST answers, by key) and "outbox" (writes waiting to be sent, in
// the order they were made: an auto-increment `seq`). No DOM: Node's tests run it against
// fake-indexeddb.

const NAME = "planpal";
const VERSION = 1;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function upgrade(db) {
  if (!db.objectStoreNames.contains("snapshots")) {
    db.createObjectStore("snapshots", { keyPath: "key" });
  }
  if (!db.objectStoreNames.contains("outbox")) {
    db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
  }
}

/** The database, or null where there is no IndexedDB (then nothing is kept). */
export async function openDb(factory = globalThis.indexedDB, name = NAME) {
  if (!factory) return null;
  const request = factory.open(name, VERSION);
  request.onupgradeneeded = () => upgrade(request.result);
  let db;
  try {
    db = await promised(request);
  } catch {
    return null; // private modes may refuse storage: the app works, just not offline
  }
  const run = (store, mode, work) => {
    const tx = db.transaction(store, mode);
    return promised(work(tx.objectStore(store)));
  };
  return {
    get: (store, key) => run(store, "readonly", (s) => s.get(key)),
    all: (store) => run(store, "readonly", (s) => s.getAll()),
    /** Resolves to the record's key (an outbox entry's new seq). */
    put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
    remove: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
    clear: (store) => run(store, "readwrite", (s) => s.clear()),
    close: () => db.close(),
  };
}
