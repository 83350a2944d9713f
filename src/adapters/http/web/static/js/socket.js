// The page's one WebSocket, in the `downloads` room, with `error` and `system_info` events
// shown as notices, reconnecting with exponential backoff (1 s doubling to 30 s, with
// jitter) and a keepalive ping. It remembers the `seq` of the last event it saw and
// reconnects with `since=<seq>`, so the server first replays what the page missed (a laptop
// waking from sleep shows the true state without a reload).
//
// `onReady({ resumed })` runs once the events flow after every (re)connect: `resumed` is true
// when the server replayed everything missed (the page's state is current once the replayed
// events are applied), false on the first connect or when the server says some are gone:
// then the page rebuilds its state from the REST API.
//
// `window.__socket_for_tests` lets the browser tests drop the connection (`close()`) and
// read what the last reconnect did; it can do nothing a closed laptop lid cannot.

import { requireLogin, token } from './api.js';
import { notify, setLive } from './ui.js';
import { tn } from './i18n.js';

const MAX_DELAY = 30000;

export function openSocket({ onReady = () => {}, onEvent = () => {}, onDown = () => {} } = {}) {
  let delay = 1000;
  let keepalive = null;
  let lastSeq = null;
  let current = null;
  const probe = { connects: 0, lastSeq: () => lastSeq, lastResume: null, close: () => current?.close() };
  window.__socket_for_tests = probe;

  function ready(resumed) {
    delay = 1000;
    setLive(true);
    onReady({ resumed });
  }

  function connect() {
    const t = token();
    if (!t) { requireLogin(); return; }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const since = lastSeq === null ? '' : `&since=${lastSeq}`;
    const ws = new WebSocket(`${scheme}://${location.host}/ws/connect?token=${encodeURIComponent(t)}&rooms=downloads${since}`);
    current = ws;
    let greeted = false;
    ws.addEventListener('message', (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch { return; }
      const data = msg.data || {};
      if (typeof msg.seq === 'number') lastSeq = msg.seq;
      if (msg.type === 'connected') {
        greeted = true;
        probe.connects += 1;
        // Without `since` nothing is replayed: the events flow from here on.
        if (data.since === null || data.since === undefined) ready(false);
      } else if (msg.type === 'system_info' && (data.replayed !== undefined || data.missed)) {
        // the end of the replay, or word that some events are gone
        probe.lastResume = { since: data.since, replayed: data.replayed ?? 0, missed: !!data.missed };
        ready(!data.missed);
      } else if (msg.type === 'error' || msg.type === 'system_info') {
        // events lost because the page fell behind: said in the chosen language; other notices
        // (a refused message, say) are the server's words
        const text = msg.type === 'system_info' && typeof data.dropped === 'number' ? tn('socket.dropped', data.dropped) : data.message;
        if (text && !data.room) notify(text, msg.type === 'error' ? 'error' : 'info');
        onEvent(msg);
      } else if (msg.type !== 'pong') {
        onEvent(msg);
      }
    });
    ws.addEventListener('open', () => {
      keepalive = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 25000);
    });
    ws.addEventListener('close', () => {
      clearInterval(keepalive);
      setLive(false);
      onDown();
      // Closed before the greeting: most likely the token was refused; let the auth status decide.
      if (!greeted) requireLogin().catch(() => {});
      const wait = delay * (0.75 + Math.random() * 0.5);
      delay = Math.min(delay * 2, MAX_DELAY);
      setTimeout(connect, wait);
    });
  }

  connect();
}
