// The Activity view (#activity): the history (INTEGRATIONS.md section 6), newest first, a
// filter by event and pages; entries the server announces (`history_added`) appear at the top
// while the first page is shown. Loaded when first shown, with its texts (the `activity` part).

import { get } from './api.js';
import { $, errorText, fill, formatTime, h } from './ui.js';
import { formatNumber, t, tn, useTexts } from './i18n.js';

const PER_PAGE = 50;
// the events' names: the same as the filter's
const EVENTS = { grab: 'index.queued', download: 'index.downloaded', upgrade: 'index.upgraded', failure: 'index.failed', removal: 'index.removed', health: 'index.health' };
// the states a health entry or a removed item names (the API's values)
const STATES = ['healthy', 'failing', 'unknown', 'pending', 'downloading', 'completed', 'failed', 'cancelled'];
const ORIGINS = ['arr', 'auto', 'upgrade'];
const state = { page: 1, event: '', shown: false };

const pad = (n) => String(n).padStart(2, '0');

/** The catalogue's text for `key`, or `fallback` when it has none. */
const known = (key, fallback) => {
  const text = t(key);
  return text === key ? fallback : text;
};

const stateName = (value) => (STATES.includes(value) ? t(`activity.state_${value}`) : value);
const language = (value) => (value ? known(`language.${value}`, value) : value);

/** The source of a health entry: `catalogue`, `catalogue:s.to`, `hoster:<name>`. */
function source(value) {
  if (value === 'catalogue') return t('activity.source_catalogue');
  const [kind, ...rest] = String(value || '').split(':');
  const name = rest.join(':');
  if (kind === 'catalogue' && name) return t('activity.source_catalogue_site', { site: name });
  if (kind === 'hoster' && name) return t('activity.source_hoster', { hoster: name });
  return value;
}

/** "Dr. Stone S01E02", or the source of a health entry. */
function subject(e) {
  if (e.event === 'health') return source(e.source);
  return `${e.series_name || e.series} S${pad(e.season)}E${pad(e.episode)}`;
}

/** What else an entry says, in one line. */
function details(e) {
  const size = e.size_bytes != null ? t('activity.size_mib', { size: formatNumber(e.size_bytes / 1048576, 1) }) : null;
  const took = e.duration_ms != null ? t('activity.took', { seconds: formatNumber(e.duration_ms / 1000, 1) }) : null;
  const by = e.origin && e.origin !== 'user'
    ? (ORIGINS.includes(e.origin) ? t(`activity.by_${e.origin}`) : t('activity.by', { origin: e.origin })) : null;
  const from = e.upgraded_from ? t('activity.from', { language: language(e.upgraded_from) }) : null;
  const health = e.event === 'health' ? `${stateName(e.previous)} → ${stateName(e.status)}` : null;
  const removed = e.event === 'removal' ? t('activity.was', { status: stateName(e.status) }) : null;
  return [e.hoster, language(e.language), from, size, took, by, health, removed].filter(Boolean).join(' · ');
}

function row(e) {
  return h('li', { class: `card history ${e.event}`, dataset: { id: e.id, event: e.event } },
    h('span', { class: `badge ${e.event === 'failure' || e.status === 'failing' ? 'bad' : e.event === 'download' || e.event === 'upgrade' ? 'ok' : ''}` }, EVENTS[e.event] ? t(EVENTS[e.event]) : e.event),
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
    const [page] = await Promise.all([get(`/api/history?${params}`), useTexts('activity')]);
    fill(list, page.items.length ? page.items.map(row) : h('li', { class: 'empty' }, t('activity.empty')));
    const pages = Math.max(1, Math.ceil(page.total / PER_PAGE));
    $('#activity-page').textContent = `${t('activity.page', { page: formatNumber(state.page), pages: formatNumber(pages) })} · ${tn('activity.entries', page.total)}`;
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

// another language: the page on screen again
document.addEventListener('localechange', () => { if (state.shown) load(); });
