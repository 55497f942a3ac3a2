// Accounts: the friends list (friends, requests both ways, blocks), kept up to date by friend.*
// events on the user's own topic. Pure: no DOM, no network.

export function installFriends(store, list) {
  store.friends = {
    items: new Map(list.results.map((entry) => [entry.user.id, entry])),
    seq: list.stream.seq,
  };
  return store.friends;
}

function onOwnTopic(apply) {
  return (ctx, frame) => {
    const friends = ctx.store.friends;
    if (ctx.topic.kind !== "user" || !friends || frame.seq <= friends.seq) return;
    friends.seq = frame.seq;
    apply(ctx, friends.items, frame.data, frame);
    ctx.changed("friends");
  };
}

export const reducers = {
  "friend.requested": onOwnTopic((ctx, items, data, frame) => {
    const incoming = data.addressee.id === ctx.me;
    const other = incoming ? data.requester : data.addressee;
    const direction = incoming ? "incoming" : "outgoing";
    items.set(other.id, { user: other, status: "pending", direction, since: frame.ts });
  }),
  "friend.accepted": onOwnTopic((ctx, items, data, frame) => {
    const other = data.users.find((user) => user.id !== ctx.me);
    if (other)
      items.set(other.id, { user: other, status: "accepted", direction: null, since: frame.ts });
  }),
  "friend.removed": onOwnTopic((ctx, items, data) => {
    for (const id of data.user_ids) if (id !== ctx.me) items.delete(id);
  }),
  "friend.blocked": onOwnTopic((ctx, items, data, frame) => {
    items.set(data.user.id, {
      user: data.user,
      status: "blocked",
      direction: null,
      since: frame.ts,
    });
  }),
};

export function friendsWith(store, status) {
  if (!store.friends) return [];
  return [...store.friends.items.values()].filter((entry) => entry.status === status);
}
