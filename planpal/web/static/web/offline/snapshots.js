// The last REST answers kept on this device, so screens open with no network: the plans,
// groups, conversations, recent messages and notifications the user last loaded (any GET of
// the API that is not a file, a search or a later page). api.js saves each answer and, when
// the network fails, answers from here instead, marked `offline` with when it was saved.
// Keys carry the user's id: another account signing in on this browser never sees them.

const SKIP = /^(uploads|places|realtime|auth|health)\b|[?&]cursor=/;

export function createSnapshots(dbPromise, now = () => Date.now()) {
  let owner = null;
  const key = (path) => `${owner}:${path}`;
  return {
    /** Whose snapshots are read and written (null: none, e.g. signed out). */
    setOwner(userId) {
      owner = userId;
    },
    keeps(path) {
      return owner !== null && !SKIP.test(path);
    },
    async save(path, data) {
      const db = await dbPromise;
      if (!db || !this.keeps(path)) return;
      await db.put("snapshots", { key: key(path), data, savedAt: now() }).catch(() => {});
    },
    /** {data, savedAt} or null. */
    async load(path) {
      const db = await dbPromise;
      if (!db || !this.keeps(path)) return null;
      const record = await db.get("snapshots", key(path)).catch(() => null);
      return record ? { data: record.data, savedAt: record.savedAt } : null;
    },
    async clear() {
      const db = await dbPromise;
      if (db) await db.clear("snapshots").catch(() => {});
    },
  };
}
