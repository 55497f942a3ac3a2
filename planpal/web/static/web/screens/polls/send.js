// Sending a poll change: keep the REST answer unless an event already brought something newer.

import { attempt } from "../../lib/toast.js";
import { installPoll, placeOf } from "../../state/polls.js";
import { changed, store } from "../../state/store.js";

/** Send a change and keep the answer (unless an event already brought something newer). */
export async function send(action) {
  const poll = await attempt(action);
  if (poll && poll.id) {
    installPoll(store, poll);
    changed("polls", placeOf(poll));
  }
  return poll;
}
