// A group chat's timeline: its messages with the group's polls placed among them at their
// creation time. Merged here, in the client, from the two lists the client already keeps live
// (docs/polls.md, "In the chat"). Pure: no DOM.

const at = (item) => Date.parse(item.created_at);

/**
 * Messages in their order (by id), each poll before the first message written after it.
 * `complete`: no earlier messages are left to load; until then a poll older than the oldest
 * loaded message waits, so it never shows above messages that came before it.
 * Returns [{kind: "message" | "poll", item}].
 */
export function timeline(messages, polls, { complete }) {
  const sorted = [...messages].sort((a, b) => a.id - b.id);
  const from = complete || !sorted.length ? -Infinity : at(sorted[0]);
  const waiting = polls
    .filter((poll) => at(poll) >= from)
    .sort((a, b) => at(a) - at(b) || a.id - b.id);
  const entries = [];
  let next = 0;
  const pollsBefore = (time) => {
    while (next < waiting.length && at(waiting[next]) < time) {
      entries.push({ kind: "poll", item: waiting[next] });
      next += 1;
    }
  };
  for (const message of sorted) {
    pollsBefore(at(message));
    entries.push({ kind: "message", item: message });
  }
  pollsBefore(Infinity);
  return entries;
}
