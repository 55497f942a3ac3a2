// The client's copy of the server state, one branch per domain (the server's apps), and the
// change notices screens listen to. No DOM and no network here: Node's unit tests import it.
//
// Every resource loaded over REST remembers the seq of its topic that its snapshot reflects
// (`seq`). An event is applied to a resource only when its seq is newer, so replays, duplicates
// and snapshots that overlap live events never apply a change twice.

export function createStore() {
  return {
    me: null,
    // accounts
    friends: null, // {items: Map(user id → {user, status, direction, since}), seq} once loaded
    // groups
    groups: new Map(), // id → {data, seq}
    members: new Map(), // group id → {items: Map(user id → member), seq}
    // plans
    plans: new Map(), // id → {data, seq, activities: Map|null, actSeq}
    // chat
    conversations: new Map(), // id → {data, seq}
    messages: new Map(), // conversation id → {items: Map, pending: Map, seq, next}
    typing: new Map(), // topic → Map(user id → timer)
    readers: new Map(), // conversation id → Map(user id → last read message id), from live receipts
    openConversation: null, // the conversation on screen (its messages count as read)
    // polls and checklists
    polls: new Map(), // poll id → the REST poll, kept to its highest version
    checklists: new Map(), // checklist id → the REST list with its items
    // money
    money: new Map(), // plan id → {budget, balances, expenses, settlements, gone, seq} (money.js)
    // notifications
    notifications: { count: 0, seq: 0, items: null, next: null },
    openPlan: null, // the plan on screen
    loaded: false,
  };
}

export const store = createStore();

/** Empty a store in place (screens hold a reference to it). */
export function resetStore(target = store) {
  Object.assign(target, createStore());
}

const changes = new EventTarget();

/** Tell the screens what changed: [{kind, id}]. */
export function announce(list) {
  for (const detail of list) changes.dispatchEvent(new CustomEvent("change", { detail }));
}

export function changed(kind, id = null) {
  announce([{ kind, id }]);
}

export function onChange(listener) {
  const handler = (event) => listener(event.detail);
  changes.addEventListener("change", handler);
  return () => changes.removeEventListener("change", handler);
}

export function parseTopic(topic) {
  const [kind, id] = topic.split(":");
  return { kind, id: Number(id) };
}

export const groupTopic = (id) => `group:${id}`;
export const planTopic = (id) => `plan:${id}`;

export function conversationOfGroup(target, groupId) {
  for (const conversation of target.conversations.values()) {
    if (conversation.data.group === groupId) return conversation;
  }
  return null;
}
