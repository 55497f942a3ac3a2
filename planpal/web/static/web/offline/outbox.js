// The outbox: writes made while the network is gone (or while earlier ones still wait), kept
// in IndexedDB so they survive a reload, and sent in the order they were made once the
// connection is back. Each entry carries its Idempotency-Key (a retry after a lost answer
// creates nothing twice) and the version it was based on (an edit never overwrites a change
// the user has not seen: the server answers 409 with its current version). A reorder needs
// neither (its endpoint reads no key and no version: the same order twice moves nothing);
// sync.js sends it against the plan's order of the moment.
//
// An entry is `pending` (waiting), `conflict` (409: the user keeps theirs or takes the
// server's) or `failed` (refused for good: shown until retried or discarded, never dropped).
// No DOM and no fetch here: `send(entry)` is injected, so Node's tests drive it.

/** What an error from `send` means for the entry. */
export function classify(error) {
  const status = error.status ?? 0;
  if (status === 0 || status >= 500 || status === 408 || status === 429) return "later";
  if (status === 409 && error.current) return "conflict";
  // complete / reopen of something already in that state: what the user wanted is true.
  if (status === 409 && ["already_completed", "not_completed"].includes(error.code)) return "done";
  if (status === 401) return "later"; // signed out: kept until this user signs in again
  return "failed";
}

/** The entries and their copy in the database (or in memory only when `db` is null). */
function ledger(opening, owner) {
  const database = Promise.resolve(opening);
  const listeners = new Set();
  const state = {
    entries: [], // this user's, oldest first
    listeners,
    notify: () => listeners.forEach((listener) => listener(state.entries)),
    async add(write) {
      const entry = { ...write, owner: owner(), status: "pending", at: Date.now() };
      const db = await database;
      entry.seq = db ? await db.put("outbox", entry) : Date.now() + Math.random();
      state.entries = [...state.entries, entry];
      state.notify();
      return entry;
    },
    async update(entry, fields) {
      Object.assign(entry, fields);
      const db = await database;
      if (db) await db.put("outbox", entry);
      state.notify();
    },
    async drop(entry) {
      state.entries = state.entries.filter((other) => other !== entry);
      const db = await database;
      if (db) await db.remove("outbox", entry.seq);
      state.notify();
    },
    async load() {
      const db = await database;
      const all = db ? await db.all("outbox") : [];
      state.entries = all.filter((entry) => entry.owner === owner()).sort((a, b) => a.seq - b.seq);
      state.notify();
      return state.entries;
    },
    async clear() {
      state.entries = [];
      const db = await database;
      if (db) await db.clear("outbox");
      state.notify();
    },
  };
  return state;
}

/** The versions a sent entry took things from and to: [{type, id, from, to}]. A reorder's
 *  answer lists the activities it moved (sync.js: `moved`); an edit, the one it changed. */
function versionSteps(entry, answer) {
  if (!answer) return [];
  if (Array.isArray(answer.moved))
    return answer.moved.map((step) => ({ type: "activity", ...step }));
  if (!entry.target || answer.version == null || entry.baseVersion == null) return [];
  const { type, id } = entry.target;
  return [{ type, id, from: entry.baseVersion, to: answer.version }];
}

/** Later edits of the same thing were made on top of `entry`: once it is sent they are based
 *  on the version the server gave it, not the one before (else they would conflict with the
 *  user's own change). Only those based on the version `entry` changed: a change by someone
 *  else in between still conflicts. */
async function rebase(kept, entry, answer) {
  for (const step of versionSteps(entry, answer)) {
    for (const later of kept.entries) {
      const target = later.target || {};
      if (later === entry || target.type !== step.type || target.id !== step.id) continue;
      if (later.status !== "pending" || later.baseVersion !== step.from) continue;
      const body =
        later.body && later.body.version != null ? { ...later.body, version: step.to } : later.body;
      await kept.update(later, { baseVersion: step.to, body });
    }
  }
}

/** A 409 whose current state already says what the entry asked for: its first sending
 *  reached the server but the answer was lost (the retry is based on the version before it). */
function alreadyThere(entry, current) {
  const fields = Object.entries(entry.body || {}).filter(([name]) => name !== "version");
  return fields.length > 0 && fields.every(([name, value]) => current[name] === value);
}

/** Send one entry; false when the connection is not good enough to go on. */
async function deliver(kept, entry, send, onSent) {
  try {
    const answer = await send(entry);
    await rebase(kept, entry, answer);
    await kept.drop(entry);
    onSent(entry, answer);
    return true;
  } catch (error) {
    const verdict = classify(error);
    if (verdict === "later") return false;
    if (verdict === "done") await kept.drop(entry);
    else if (verdict === "conflict" && alreadyThere(entry, error.current)) {
      await kept.drop(entry);
      onSent(entry, error.current);
    } else if (verdict === "conflict") {
      await kept.update(entry, { status: "conflict", current: error.current });
    } else await kept.update(entry, { status: "failed", error: error.message || String(error) });
    return true;
  }
}

/** `db`: the database (db.js) or a promise of it; null keeps entries in memory only. */
export function createOutbox({ db, send, onSent = () => {}, owner = () => null }) {
  const kept = ledger(db, owner);
  let flushing = null;

  async function flushNow() {
    for (const entry of [...kept.entries]) {
      if (entry.status !== "pending" || !kept.entries.includes(entry)) continue;
      if (!(await deliver(kept, entry, send, onSent))) return false;
    }
    return true;
  }

  return {
    get entries() {
      return kept.entries;
    },
    subscribe(listener) {
      kept.listeners.add(listener);
      return () => kept.listeners.delete(listener);
    },
    /** Read this user's entries back (after a reload). */
    load: () => kept.load(),
    /** Keep a write: {kind, method, path, body, clientId, baseVersion, target, about}. */
    add: (write) => kept.add(write),
    /** Whether new writes must queue behind earlier ones (order is kept). */
    busy: () => kept.entries.some((entry) => entry.status === "pending"),
    /** Send the pending entries in order; resolves true when none is left waiting. One flush
     *  runs at a time: a second call waits for it and goes again. */
    flush() {
      const run = (flushing || Promise.resolve()).then(flushNow);
      flushing = run.catch(() => false);
      return run;
    },
    /** A conflict: "mine" sends the user's change again on the server's version; "theirs"
     *  drops it (the server's version stays). */
    async resolve(entry, choice) {
      if (choice === "theirs") return kept.drop(entry);
      const version = entry.current.version;
      const body = { ...entry.body, version };
      await kept.update(entry, { status: "pending", body, baseVersion: version, current: null });
      return this.flush();
    },
    async retry(entry) {
      await kept.update(entry, { status: "pending", error: null });
      return this.flush();
    },
    discard: (entry) => kept.drop(entry),
    clear: () => kept.clear(),
  };
}
