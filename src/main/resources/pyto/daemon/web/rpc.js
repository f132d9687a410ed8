// Transmission's RPC (docs/rpc-spec.md) as the page speaks it to the daemon at
// /transmission/rpc: a POST of {"method", "arguments"}, answered with {"result", "arguments"}.
//
// Two HTTP rules come first. The browser's own Basic-auth login covers these requests: the
// page itself was fetched with it, and fetch() sends the same credentials to its origin.
// And the CSRF guard: a request without the right X-Transmission-Session-Id header gets 409
// with the id, and is sent again with it (the id changes when the daemon restarts).

const PATH = '/transmission/rpc';

export class RpcError extends Error {
  /** @param kind 'result' (the daemon refused), 'http', 'auth' or 'network' */
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
}

export class Rpc {
  constructor() {
    this.sessionId = '';
    // How often the id changed after the first: the daemon restarted, and its torrent ids
    // (stable only for a daemon's life) may now name other torrents.
    this.restarts = 0;
  }

  /** The reply's "arguments" for a call; throws RpcError when the daemon says anything but "success". */
  async call(method, args = {}) {
    const body = JSON.stringify({ method, arguments: args });
    for (let attempt = 0; attempt < 3; attempt++) {
      let res;
      try {
        res = await fetch(PATH, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Transmission-Session-Id': this.sessionId },
          body,
          cache: 'no-store',
          credentials: 'same-origin',
        });
      } catch (e) {
        throw new RpcError('cannot reach the daemon (is it running?)', 'network');
      }
      if (res.status === 409) {
        const id = res.headers.get('X-Transmission-Session-Id');
        if (!id) throw new RpcError('the daemon asked for a session id and sent none', 'http');
        if (this.sessionId && id !== this.sessionId) this.restarts++;
        this.sessionId = id;
        continue;
      }
      if (res.status === 401) {
        throw new RpcError('not signed in, or the password changed: reload the page to sign in again', 'auth');
      }
      if (!res.ok) {
        const text = (await res.text().catch(() => '')).trim();
        throw new RpcError(`${res.status} ${res.statusText}${text ? `: ${text}` : ''}`, 'http');
      }
      let reply;
      try {
        reply = await res.json();
      } catch (e) {
        throw new RpcError('the daemon sent a reply that is not JSON', 'http');
      }
      if (reply.result !== 'success') throw new RpcError(String(reply.result), 'result');
      return reply.arguments || {};
    }
    throw new RpcError('the daemon keeps refusing the session id', 'http');
  }
}
