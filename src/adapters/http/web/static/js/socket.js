// The page's one WebSocket: joined to the `downloads` room, `error` and `system_info`
// events shown as notices, reconnecting with exponential backoff (1 s doubling to 30 s,
// with jitter) and a keepalive ping. `onReady` runs after every (re)join, so a page can
// rebuild its state from the REST API before it applies events.

import { requireLogin, token } from './api.js';
import { notify, setLive } from './ui.js';

const MAX_DELAY = 30000;

export function openSocket({ onReady = () => {}, onEvent = () => {}, onDown = () => {} } = {}) {
  let delay = 1000;
  let keepalive = null;

  function connect() {
    const t = token();
    if (!t) { requireLogin(); return; }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws/connect?token=${encodeURIComponent(t)}`);
    let greeted = false;
    ws.addEventListener('message', (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch { return; }
      const data = msg.data || {};
      if (msg.type === 'connected') {
        greeted = true;
        ws.send(JSON.stringify({ action: 'join', data: { room: 'downloads' } }));
      } else if (msg.type === 'system_info' && data.room) {
        // the answer to our join: the room's events flow from here on
        delay = 1000;
        setLive(true);
        onReady();
      } else if (msg.type === 'error' || msg.type === 'system_info') {
        if (data.message) notify(data.message, msg.type === 'error' ? 'error' : 'info');
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
