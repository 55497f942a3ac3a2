// Polls: a group's or a plan's polls, installed from REST lists and kept up to date by the
// group.poll_* / plan.poll_* events (docs/polls.md). A poll's `version` grows with every vote and
// with closing, so an event is applied only when it is newer than what the store holds: replays,
// duplicates and REST answers that race their own event never go backwards. Pure: no DOM.

export const placeOf = (poll) => (poll.group ? `group:${poll.group}` : `plan:${poll.plan}`);

/** A REST poll (with my_vote, ballots, can_close), unless the store holds a newer version. */
export function installPoll(store, poll) {
  const held = store.polls.get(poll.id);
  if (!held || poll.version >= held.version) store.polls.set(poll.id, poll);
  return store.polls.get(poll.id);
}

/** GET groups/{id}/polls or plans/{id}/polls: the place's polls, newest first. */
export function installPolls(store, list) {
  list.results.forEach((poll) => installPoll(store, poll));
  return pollsOf(store, list.stream.topic);
}

/** The polls of a place ("group:3", "plan:10"), newest first. */
export function pollsOf(store, place) {
  return [...store.polls.values()]
    .filter((poll) => placeOf(poll) === place)
    .sort((a, b) => b.id - a.id);
}

/** A named ballot: replace the voter's; mine also becomes my_vote. */
function applyBallot(poll, ballot, me) {
  if (!ballot) return poll;
  const others = (poll.ballots || []).filter((b) => b.user.id !== ballot.user.id);
  const voted = ballot.options.length || Object.keys(ballot.days).length;
  const ballots = voted ? [...others, ballot].sort((a, b) => a.user.id - b.user.id) : others;
  const mine = ballot.user.id === me ? { options: ballot.options, days: ballot.days } : null;
  return { ...poll, ballots, my_vote: mine || poll.my_vote };
}

function onVote(ctx, frame) {
  const data = frame.data;
  const poll = ctx.store.polls.get(data.poll_id);
  if (!poll || data.version <= poll.version) return;
  const next = { ...poll, results: data.results, version: data.version };
  ctx.store.polls.set(poll.id, applyBallot(next, data.ballot, ctx.me));
  ctx.changed("polls", frame.topic);
}

function onCreated(ctx, frame) {
  if (ctx.store.polls.has(frame.data.id)) return;
  const mine = frame.data.creator.id === ctx.me;
  ctx.store.polls.set(frame.data.id, {
    ...frame.data,
    closed: false,
    can_close: mine,
    my_vote: { options: [], days: {} },
    ballots: [],
  });
  if (!mine) ctx.need({ type: "load-poll", id: frame.data.id }); // can_close is per viewer
  ctx.changed("polls", frame.topic);
}

function onClosed(ctx, frame) {
  const poll = ctx.store.polls.get(frame.data.id);
  if (!poll || frame.data.version <= poll.version) return;
  ctx.store.polls.set(poll.id, { ...poll, ...frame.data, closed: true });
  ctx.changed("polls", frame.topic);
}

function onDeleted(ctx, frame) {
  if (ctx.store.polls.delete(frame.data.poll_id)) ctx.changed("polls", frame.topic);
}

export const reducers = {};
for (const scope of ["group", "plan"]) {
  Object.assign(reducers, {
    [`${scope}.poll_created`]: onCreated,
    [`${scope}.poll_voted`]: onVote,
    [`${scope}.poll_vote_withdrawn`]: onVote,
    [`${scope}.poll_closed`]: onClosed,
    [`${scope}.poll_deleted`]: onDeleted,
  });
}
