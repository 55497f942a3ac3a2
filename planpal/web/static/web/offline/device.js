// This device's offline stores, opened once per page: the REST snapshots and the outbox's
// database (IndexedDB; null where the browser has none, e.g. Node's tests of other modules).

import { openDb } from "./db.js";
import { createSnapshots } from "./snapshots.js";

export const database = openDb();
export const snapshots = createSnapshots(database);
