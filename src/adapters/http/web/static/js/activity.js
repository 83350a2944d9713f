// The Activity view (#activity): the history (INTEGRATIONS.md section 6), newest first, a
// filter by event and pages; entries the server announces (`history_added`) appear at the top
// while the first page is shown.

import { get } from './api.js';
import { $, errorText, fill, formatTime, h } from './ui.js';

const PER_PAGE = 50;
const EVENTS = { grab: 'Queued', download: 'Downloaded', upgrade: 'Upgraded', failure: 'Failed', removal: 'Removed', health: 'Health' };
const state = { page: 1, event: '', shown: false };

const pad = (n) => String(n).padStart(2, '0');

/** "Dr. Stone S01E02", or the source of a health entry. */
function subject(e) {
  if (e.event === 'health') return e.source;
  return `${e.series_name || e.series} S${pad(e.season)}E${pad(e.episode)}`;
}

/** What else an entry says, in one line. */
function details(e) {
  const size = e.size_bytes != null ? `${(e.size_bytes / 1048576).toFixed(1)} MiB` : null;
  const took = e.duration_ms != null ? `in ${(e.duration_ms / 1000).toFixed(1)} s` : null;
  const by = e.origin && e.origin !== 'user' ? `by ${e.origin === 'arr' ? 'Sonarr' : e.origin}` : null;
  const from = e.upgraded_from ? `from ${e.upgraded_from}` : null;
  const health = e.event === 'health' ? `${e.previous} → ${e.status}` : null;
  const removed = e.event === 'removal' ? `was ${e.status}` : null;
  return [e.hoster, e.language, from, size, took, by, health, removed].filter(Boolean).join(' · ');
}

function row(e) {
  return h('li', { class: `card history ${e.event}`, dataset: { id: e.id, event: e.event } },
    h('span', { class: `badge ${e.event === 'failure' || e.status === 'failing' ? 'bad' : e.event === 'download' || e.event === 'upgrade' ? 'ok' : ''}` }, EVENTS[e.event] || e.event),
    h('div', { class: 'what' }, h('strong', {}, subject(e)),
      h('span', { class: 'meta' }, details(e)),
      e.error ? h('span', { class: 'error' }, e.error) : null),
    h('time', { class: 'meta', datetime: e.at }, formatTime(e.at)));
}

async function load() {
  const list = $('#activity-list');
  const params = new URLSearchParams({ page: state.page, per_page: PER_PAGE });
  if (state.event) params.set('event', state.event);
  try {
    const page = await get(`/api/history?${params}`);
    fill(list, page.items.length ? page.items.map(row) : h('li', { class: 'empty' }, 'Nothing has happened yet.'));
    const pages = Math.max(1, Math.ceil(page.total / PER_PAGE));
    $('#activity-page').textContent = `Page ${state.page} of ${pages} · ${page.total} entries`;
    $('#activity-prev').disabled = state.page <= 1;
    $('#activity-next').disabled = state.page >= pages;
  } catch (e) {
    fill(list, h('li', { class: 'form-error' }, errorText(e)));
  }
  document.body.dataset.ready = 'activity';
}

/** Shows the view (the first time, binds its controls). */
export function showActivity() {
  if (!state.bound) {
    state.bound = true;
    $('#activity-event').addEventListener('change', (e) => { state.event = e.target.value; state.page = 1; load(); });
    $('#activity-prev').addEventListener('click', () => { state.page -= 1; load(); });
    $('#activity-next').addEventListener('click', () => { state.page += 1; load(); });
  }
  state.shown = true;
  load();
}

export function hideActivity() {
  state.shown = false;
}

/** A `history_added` message: at the top of the first page, if the filter keeps it. */
export function historyAdded(entry) {
  if (!state.shown || state.page !== 1) return;
  if (state.event && entry.event !== state.event) return;
  const list = $('#activity-list');
  list.querySelector('li.empty')?.remove();
  if (list.querySelector(`li[data-id="${entry.id}"]`)) return;
  list.prepend(row(entry));
  while (list.children.length > PER_PAGE) list.lastElementChild.remove();
}
