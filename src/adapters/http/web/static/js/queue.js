// /queue: the download queue, live. The state is built from `GET /api/queue/status` when the
// WebSocket first connects and then kept by its events; after a reconnect the server replays
// the events the page missed, and the status is fetched again only when it says some are
// gone. Nothing polls while the socket is open (while it is down, the status is fetched
// every 10 s).

import { del, get, post, requireLogin } from './api.js';
import { $, busy, errorText, fill, h, initChrome, notify } from './ui.js';
import { openSocket } from './socket.js';
import { dragToReorder, idsOf } from './order.js';
import { itemRow, showProgress } from './queue_item.js';
import { formatNumber, formatSpeed, t, tn, useTexts } from './i18n.js';

// the queue's texts (the status view's are among them), before anything renders
await useTexts('queue');

const SECTIONS = ['active', 'pending', 'completed', 'failed'];
const FROM_STATUS = { active: 'active_downloads', pending: 'pending_queue', completed: 'completed_downloads', failed: 'failed_downloads' };
const RANK = { HIGH: 0, NORMAL: 1, LOW: 2 };
const OFFLINE_POLL_MS = 10000;
const EMPTY = { active: 'queue.nothing_downloading', pending: 'queue.no_pending', completed: 'queue.no_completed', failed: 'queue.no_failed' };
const CLEARED = { pending: 'queue.cleared_pending', completed: 'queue.cleared_completed', failed: 'queue.cleared_failed' };

const items = new Map();
const lists = { active: [], pending: [], completed: [], failed: [] };
const selected = new Set();
let running = false;
let offlinePoll = null;
let resync = null;
let loaded = false;

function apply(status) {
  items.clear();
  for (const section of SECTIONS) {
    lists[section] = [];
    for (const item of status.status[FROM_STATUS[section]] || []) {
      items.set(item.id, item);
      lists[section].push(item.id);
    }
  }
  for (const id of [...selected]) if (!items.has(id)) selected.delete(id);
  running = status.status.is_running;
  loaded = true;
  render();
}

async function load() {
  try {
    apply(await get('/api/queue/status'));
    document.body.dataset.ready = 'queue';
  } catch (e) {
    notify(errorText(e), 'error');
  }
}

/**
 * The notice for an answer of the API with a count (`retried_count`, `count`): the text of
 * `key` in the chosen language; the API's own message where the count is missing.
 */
function counted(key, answer, n) {
  return typeof n === 'number' ? tn(key, n) : (answer?.message ?? '');
}

/** Events the page cannot place (an unknown item, missed events): fetch the state once. */
function resyncSoon() {
  clearTimeout(resync);
  resync = setTimeout(load, 300);
}

const actions = {
  remove: (item, button) => busy(button, async () => { await del(`/api/queue/${item.id}`); drop(item.id); render(); }),
  retry: (item, button) => busy(button, async () => {
    const answer = await post('/api/queue/retry', { item_ids: [item.id] });
    notify(counted('queue.retrying', answer, answer.retried_count), 'ok');
    await load();
  }),
  moved: () => sendOrder(idsOf($('#list-pending'))),
};

function render() {
  const focused = document.activeElement;
  const focusKey = focused?.closest?.('[data-id]') && [focused.closest('[data-id]').dataset.id, focused.dataset.action || focused.dataset.move || (focused.classList.contains('select') ? 'select' : '')];
  for (const section of SECTIONS) {
    const ids = lists[section];
    fill($(`#list-${section}`), ids.length
      ? ids.map((id) => itemRow(items.get(id), section, selected.has(id), actions))
      : h('li', { class: 'empty' }, t(EMPTY[section])));
    $(`#count-${section}`).textContent = `(${formatNumber(ids.length)})`;
  }
  if (focusKey) {
    const row = document.querySelector(`li[data-id="${CSS.escape(focusKey[0])}"]`);
    const target = row && (focusKey[1] === 'select' ? row.querySelector('.select')
      : row.querySelector(`[data-action="${focusKey[1]}"], [data-move="${focusKey[1]}"]`));
    target?.focus();
  }
  renderState();
}

function renderState() {
  const badge = $('#run-state');
  badge.textContent = running ? t('queue.running') : t('queue.stopped');
  badge.className = running ? 'badge ok' : 'badge';
  $('#start').disabled = running;
  $('#stop').disabled = !running;
  const speed = lists.active.reduce((sum, id) => sum + (items.get(id)?.progress?.speed_mbps || 0), 0);
  $('#stats').textContent = `${tn('queue.items', items.size)}${speed ? ` · ${formatSpeed(speed)}` : ''}`;
  $('#selection-count').textContent = selected.size ? tn('queue.selected', selected.size) : '';
  const all = $('#select-all');
  all.checked = items.size > 0 && selected.size === items.size;
  all.indeterminate = selected.size > 0 && selected.size < items.size;
}

function sectionOf(id) {
  return SECTIONS.find((s) => lists[s].includes(id));
}

function drop(id) {
  for (const s of SECTIONS) lists[s] = lists[s].filter((x) => x !== id);
  items.delete(id);
  selected.delete(id);
}

function place(id, section) {
  for (const s of SECTIONS) lists[s] = lists[s].filter((x) => x !== id);
  if (section !== 'pending') { lists[section].push(id); return; }
  // pending keeps the server's order: by priority, then as added
  const rank = RANK[items.get(id).priority] ?? 1;
  const at = lists.pending.findIndex((other) => (RANK[items.get(other)?.priority] ?? 1) > rank);
  if (at < 0) lists.pending.push(id);
  else lists.pending.splice(at, 0, id);
}

function onEvent(msg) {
  const d = msg.data || {};
  const id = d.download_id;
  const item = id && items.get(id);
  switch (msg.type) {
    case 'download_added':
      if (item) return;
      items.set(id, {
        id, serie_id: d.key, serie_folder: d.folder, serie_name: d.folder, status: d.status || 'pending',
        episode: { season: d.season, episode: d.episode, title: d.title }, priority: d.priority, progress: null, error: null, retry_count: 0,
      });
      place(id, 'pending');
      return render();
    case 'download_progress': {
      if (!item) return resyncSoon();
      item.progress = { percent: d.percent, downloaded_mb: d.downloaded_mb, total_mb: d.total_mb, speed_mbps: d.speed_mbps, eta_seconds: d.eta_seconds };
      if (sectionOf(id) !== 'active') {
        item.status = 'downloading';
        place(id, 'active');
        return render();
      }
      const row = document.querySelector(`#list-active li[data-id="${CSS.escape(id)}"]`);
      if (row) showProgress(row, item.progress);
      return renderState();
    }
    case 'download_complete':
      if (!item) return resyncSoon();
      Object.assign(item, { status: 'completed', file: d.file, hoster: d.hoster, language: d.language, error: null });
      item.progress = { ...(item.progress || {}), percent: 100, eta_seconds: null };
      place(id, 'completed');
      return render();
    case 'download_failed':
      if (!item) return resyncSoon();
      Object.assign(item, { error: d.error, retry_count: d.retry_count, status: d.will_retry ? 'pending' : 'failed' });
      place(id, d.will_retry ? 'pending' : 'failed');
      return render();
    case 'download_removed':
      if (!item) return;
      drop(id);
      return render();
    case 'queue_started':
    case 'queue_stopped':
      running = msg.type === 'queue_started';
      return renderState();
    case 'queue_status':
      running = d.is_running;
      if (d.pending !== lists.pending.length || d.active !== lists.active.length
        || d.completed !== lists.completed.length || d.failed !== lists.failed.length) resyncSoon();
      return renderState();
    case 'system_info':
      if (d.dropped) resyncSoon();
      return undefined;
    default:
      return undefined;
  }
}

async function sendOrder(ids) {
  try {
    await post('/api/queue/reorder', { item_ids: ids });
  } catch (e) {
    notify(errorText(e), 'error');
    await load();
    return;
  }
  await load();
  // the server keeps priority first: an item moved past one of another priority stops there
  const asked = ids.filter((id) => lists.pending.includes(id));
  if (asked.join() !== lists.pending.filter((id) => asked.includes(id)).join()) {
    notify(t('queue.priority_first'));
  }
}

function selectedIn(...sections) {
  return sections.flatMap((s) => lists[s]).filter((id) => selected.has(id));
}

function bind() {
  document.querySelector('main').addEventListener('change', (e) => {
    if (!e.target.classList.contains('select')) return;
    const id = e.target.closest('[data-id]').dataset.id;
    if (e.target.checked) selected.add(id);
    else selected.delete(id);
    renderState();
  });
  $('#select-all').addEventListener('change', (e) => {
    selected.clear();
    if (e.target.checked) for (const id of items.keys()) selected.add(id);
    for (const box of document.querySelectorAll('.item .select')) box.checked = e.target.checked;
    renderState();
  });
  $('#retry-selected').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    const ids = selectedIn('failed');
    if (!ids.length) { notify(t('queue.select_failed_to_retry')); return; }
    const answer = await post('/api/queue/retry', { item_ids: ids });
    notify(counted('queue.retrying', answer, answer.retried_count), 'ok');
    await load();
  }));
  $('#remove-selected').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    const ids = selectedIn(...SECTIONS);
    if (!ids.length) { notify(t('queue.select_to_remove')); return; }
    await del('/api/queue', { item_ids: ids });
    notify(tn('queue.removed', ids.length), 'ok');
    await load();
  }));
  $('#retry-failed').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    const answer = await post('/api/queue/retry', { item_ids: [] });
    notify(counted('queue.retrying', answer, answer.retried_count), 'ok');
    await load();
  }));
  for (const section of ['pending', 'completed', 'failed']) {
    $(`#clear-${section}`).addEventListener('click', (e) => busy(e.currentTarget, async () => {
      const answer = await del(`/api/queue/${section}`);
      notify(counted(CLEARED[section], answer, answer.count), 'ok');
      await load();
    }));
  }
  for (const what of ['start', 'stop']) {
    $(`#${what}`).addEventListener('click', (e) => busy(e.currentTarget, async () => {
      await post(`/api/queue/${what}`);
      notify(t(what === 'start' ? 'queue.started' : 'queue.stopped_note'), 'ok');
      running = what === 'start';
      renderState();
    }));
  }
  dragToReorder($('#list-pending'), sendOrder);
  // another language: the rows, counts and states again, from the data the page has
  document.addEventListener('localechange', () => { if (loaded) render(); });
}

async function main() {
  initChrome();
  bind();
  try {
    if (!(await requireLogin())) return;
  } catch (e) {
    notify(errorText(e), 'error');
    return;
  }
  await load();
  openSocket({
    onReady({ resumed }) {
      clearInterval(offlinePoll);
      offlinePoll = null;
      // replayed events brought the page up to date; otherwise ask for the state
      if (!resumed) load();
    },
    onDown() {
      if (!offlinePoll) offlinePoll = setInterval(load, OFFLINE_POLL_MS);
    },
    onEvent,
  });
}

main();
