// PlanPal realtime client for browsers: one WebSocket to /ws/ authenticated by the session
// cookie, speaking the protocol of docs/realtime.md (the same algorithm as
// planpal/client/realtime.py).
//
// - follow(topic, since): subscribe, replaying everything after `since` (a REST resource's
//   stream.seq); on every (re)connect each followed topic is resubscribed with since = the last
//   seq received, so nothing is missed while the connection was down.
// - events are delivered in seq order per topic, without duplicates (at-least-once delivery is
//   deduplicated by (topic, seq)); a gap (seq > last + 1) resubscribes with `since` once.
// - `recovered: false` (the server cannot replay) calls the "reset" listeners, which reload the
//   resource over REST; events keep flowing from the subscribed seq.
// - reconnects with exponential backoff and full jitter; pings every 25 s; the state
//   (connecting | connected | reconnecting | offline) is announced with a "state" event.
//
// Events: "state" {state}, "event" {frame}, "reset" {topic, seq}, "revoked" {topic},
// "typing" {frame}, "presence" {frame} (presence.changed), "error" {frame}, "fatal" {code},
// "unauthenticated" {code}.

const FATAL_CLOSE_CODES = new Set([4003]); // origin refused: retrying cannot help
const RECENT_PER_TOPIC = 500;

export function defaultUrl(location = window.location) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/`;
}

export class RealtimeClient extends EventTarget {
  constructor({
    url = defaultUrl(),
    pingMs = 25000,
    baseDelayMs = 250,
    maxDelayMs = 30000,
    WebSocketImpl = globalThis.WebSocket,
  } = {}) {
    super();
    this.url = url;
    this.pingMs = pingMs;
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.WebSocketImpl = WebSocketImpl;
    this.state = "offline";
    this.userId = null;
    this.topics = new Map(); // topic → {lastSeq: number|null, resyncing: boolean}
    this.recent = new Map(); // topic → recent delivered event frames, oldest first
    this.applied = []; // (topic, seq) of delivered events, for diagnostics and tests
    this.connections = 0;
    this._ws = null;
    this._attempt = 0;
    this._refs = 0;
    this._pending = new Map(); // ref → {resolve, reject, timer}
    this._retryTimer = null;
    this._pingTimer = null;
    this._running = false;
    this._onOnline = () => this._reconnectNow();
    this._onOffline = () => this._dropForOffline();
  }

  // ------------------------------------------------------------------ lifecycle
  start() {
    if (this._running) return;
    this._running = true;
    window.addEventListener("online", this._onOnline);
    window.addEventListener("offline", this._onOffline);
    this._connect();
  }

  stop() {
    this._running = false;
    window.removeEventListener("online", this._onOnline);
    window.removeEventListener("offline", this._onOffline);
    clearTimeout(this._retryTimer);
    this._closeSocket(1000, "client stop");
    this.topics.clear();
    this.recent.clear();
    this.userId = null;
    this.connections = 0;
    this._attempt = 0;
    this._setState("offline");
  }

  // ------------------------------------------------------------------ topics
  /** Follow a topic. `since` is the seq the caller's snapshot reflects (null: live from now).
   *  Already followed: nothing changes (use recentEvents() to catch a newer snapshot up). */
  follow(topic, since = null) {
    if (this.topics.has(topic)) return;
    this.topics.set(topic, { lastSeq: since, resyncing: false, ref: null });
    if (this.state === "connected") this._sendSubscribe(topic);
  }

  unfollow(topic) {
    if (!this.topics.delete(topic)) return;
    this.recent.delete(topic);
    if (this.state === "connected") this._send({ op: "unsubscribe", topic });
  }

  isFollowing(topic) {
    return this.topics.has(topic);
  }

  lastSeq(topic) {
    return this.topics.get(topic)?.lastSeq ?? null;
  }

  /** Delivered events of `topic` with seq > `after`, oldest first: what a snapshot read at
   *  `after` has not seen yet. Null when they are no longer all held (reload instead). */
  recentEvents(topic, after) {
    const frames = this.recent.get(topic) || [];
    const newer = frames.filter((frame) => frame.seq > after);
    const last = this.lastSeq(topic);
    if (newer.length && newer[0].seq !== after + 1) return null;
    if (!newer.length && last !== null && last > after) return null;
    return newer;
  }

  // ------------------------------------------------------------------ ephemeral ops
  typing(topic) {
    if (this.state === "connected" && this.topics.has(topic)) this._send({ op: "typing", topic });
  }

  /** Resolves once the server has answered every op sent before this call, with the replays
   *  of the subscriptions among them (one connection's ops are answered in order). Rejects
   *  when not connected. */
  settled() {
    return this._request({ op: "ping" });
  }

  /** The ids of users online in `topic` (the `presence` op). Rejects when not connected. */
  presence(topic) {
    return this._request({ op: "presence", topic }).then((frame) => frame.online || []);
  }

  // ------------------------------------------------------------------ connection upkeep
  _connect() {
    if (!this._running) return;
    if (navigator.onLine === false) {
      this._setState("offline");
      return; // the "online" event reconnects
    }
    this._setState(this.connections ? "reconnecting" : "connecting");
    let ws;
    try {
      ws = new this.WebSocketImpl(this.url);
    } catch {
      this._scheduleReconnect();
      return;
    }
    this._ws = ws;
    ws.onmessage = (message) => this._onMessage(ws, message);
    ws.onclose = (close) => this._onClose(ws, close);
    ws.onerror = () => {}; // a close follows; the browser already logs the failure
    ws.onopen = () => {
      this.connections += 1;
      this._pingTimer = setInterval(() => this._send({ op: "ping" }), this.pingMs);
    };
  }

  _onClose(ws, close) {
    if (ws !== this._ws) return; // an old socket we already replaced
    this._ws = null;
    clearInterval(this._pingTimer);
    this._failPending(new Error("connection closed"));
    for (const state of this.topics.values()) state.resyncing = false;
    if (!this._running) return;
    if (FATAL_CLOSE_CODES.has(close.code)) {
      this._running = false;
      this._setState("offline");
      this._emit("fatal", { code: close.code });
      return;
    }
    if (close.code === 4001) this._emit("unauthenticated", { code: close.code });
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    if (!this._running) return;
    clearTimeout(this._retryTimer);
    if (navigator.onLine === false) {
      this._setState("offline");
      return;
    }
    this._setState("reconnecting");
    this._attempt += 1;
    // Full jitter: a server restart does not bring every client back at the same instant.
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this._attempt);
    this._retryTimer = setTimeout(() => this._connect(), Math.random() * cap);
  }

  _reconnectNow() {
    if (!this._running || this._ws) return;
    clearTimeout(this._retryTimer);
    this._attempt = 0;
    this._connect();
  }

  _dropForOffline() {
    // The browser knows the network is gone: say so now instead of waiting for a timeout.
    if (!this._running) return;
    clearTimeout(this._retryTimer);
    this._closeSocket(1000, "offline");
    this._setState("offline");
  }

  _closeSocket(code, reason) {
    const ws = this._ws;
    this._ws = null;
    clearInterval(this._pingTimer);
    this._failPending(new Error("connection closed"));
    for (const state of this.topics.values()) state.resyncing = false;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      try {
        ws.close(code, reason);
      } catch {
        /* already closed */
      }
    }
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._emit("state", { state });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // ------------------------------------------------------------------ frames out
  _send(frame) {
    if (!this._ws || this._ws.readyState !== 1) return false;
    this._ws.send(JSON.stringify(frame));
    return true;
  }

  _nextRef() {
    this._refs += 1;
    return `w${this._refs}`;
  }

  _request(frame, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const ref = this._nextRef();
      if (!this._send({ ...frame, ref })) {
        reject(new Error("not connected"));
        return;
      }
      const timer = setTimeout(() => {
        this._pending.delete(ref);
        reject(new Error("no answer"));
      }, timeoutMs);
      this._pending.set(ref, { resolve, reject, timer });
    });
  }

  _failPending(error) {
    for (const { reject, timer } of this._pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this._pending.clear();
  }

  _sendSubscribe(topic) {
    const state = this.topics.get(topic);
    const frame = { op: "subscribe", topic, ref: this._nextRef() };
    if (state.lastSeq !== null) frame.since = state.lastSeq;
    state.resyncing = true;
    state.ref = frame.ref;
    this._send(frame);
  }

  // ------------------------------------------------------------------ frames in
  _onMessage(ws, message) {
    if (ws !== this._ws) return;
    let frame;
    try {
      frame = JSON.parse(message.data);
    } catch {
      return;
    }
    const pending = frame.ref != null ? this._pending.get(frame.ref) : null;
    if (pending) {
      this._pending.delete(frame.ref);
      clearTimeout(pending.timer);
      if (frame.type === "error") pending.reject(Object.assign(new Error(frame.message), frame));
      else pending.resolve(frame);
      return;
    }
    switch (frame.type) {
      case "event":
        this._onEvent(frame);
        break;
      case "subscribed":
        this._onSubscribed(frame);
        break;
      case "unsubscribed":
        if (frame.reason === "revoked") {
          this.topics.delete(frame.topic);
          this.recent.delete(frame.topic);
          this._emit("revoked", { topic: frame.topic });
        }
        break;
      case "typing":
        if (this.topics.has(frame.topic)) this._emit("typing", { frame });
        break;
      case "presence.changed": // ephemeral: {topic, user, online}
        if (this.topics.has(frame.topic)) this._emit("presence", { frame });
        break;
      case "error":
        this._onError(frame);
        break;
      default: // pong, heartbeat: only proof that the link is alive
    }
  }

  _onError(frame) {
    for (const [topic, state] of this.topics) {
      if (frame.ref != null && state.ref === frame.ref) {
        // The subscription was refused (e.g. forbidden: access is gone): stop following it.
        this.topics.delete(topic);
        this.recent.delete(topic);
        this._emit("revoked", { topic, code: frame.code });
      }
    }
    this._emit("error", { frame });
  }

  _onSubscribed(frame) {
    const { topic } = frame;
    if (this.state !== "connected") {
      // The first frame of every good connection is the automatic user:<id> subscription.
      this._attempt = 0; // authenticated and served: the next drop starts a fresh backoff
      if (topic.startsWith("user:") && this.userId === null) this.userId = Number(topic.slice(5));
      this._setState("connected");
      for (const followed of this.topics.keys()) this._sendSubscribe(followed);
      return;
    }
    const state = this.topics.get(topic);
    if (!state) return;
    state.resyncing = false;
    if (!frame.recovered) {
      // Nothing was replayed: what happened after lastSeq is lost here; live events follow
      // from frame.seq. The listeners reload the resource and catch it up with recentEvents().
      state.lastSeq = frame.seq;
      this.recent.delete(topic);
      this._emit("reset", { topic, seq: frame.seq });
    } else if (state.lastSeq === null) {
      state.lastSeq = frame.seq;
    }
  }

  _onEvent(frame) {
    const state = this.topics.get(frame.topic);
    if (!state) return; // not (or no longer) followed
    const { seq } = frame;
    const last = state.lastSeq;
    if (last !== null && seq <= last) return; // duplicate (at-least-once delivery)
    if (last !== null && seq > last + 1) {
      // A gap: ask for a replay from what we have; it brings the missing events and this one.
      if (!state.resyncing) this._sendSubscribe(frame.topic);
      return;
    }
    state.lastSeq = seq;
    const recent = this.recent.get(frame.topic) || [];
    recent.push(frame);
    if (recent.length > RECENT_PER_TOPIC) recent.shift();
    this.recent.set(frame.topic, recent);
    this.applied.push([frame.topic, seq]);
    if (this.applied.length > 2000) this.applied.splice(0, 1000);
    this._emit("event", { frame });
  }
}
