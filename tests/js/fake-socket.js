// A scripted WebSocket for the realtime client's unit tests: the test plays the server.

export class FakeSocket {
  static all = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }

  static get last() {
    return FakeSocket.all.at(-1);
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  /** The server sends a frame. */
  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server (or the network) closes the connection. */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.readyState = 3;
  }

  /** Frames the client sent with op `op`. */
  ops(op) {
    return this.sent.filter((frame) => frame.op === op);
  }
}

/** The browser globals realtime.js touches, for Node. */
export function browserGlobals() {
  globalThis.window = new EventTarget();
  globalThis.window.location = { protocol: "http:", host: "test" };
  Object.defineProperty(globalThis, "navigator", {
    value: { onLine: true },
    configurable: true,
    writable: true,
  });
}
