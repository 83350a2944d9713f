// `/`: the library (series with missing episodes, search, add) and, by the URL's hash, the
// series view (#series/<key>), the activity (#activity), the settings (#settings) and the
// status (#status). The
// search asks both catalogue sites or one (sites.js). One WebSocket for the page: a finished
// download or scan refreshes what is on screen.

import { get, post, request, requireLogin } from './api.js';
import { cover } from './cover.js';
import { missingList, queueEpisodes } from './episodes.js';
import { $, busy, errorText, fill, h, initChrome, notify } from './ui.js';
import { openSocket } from './socket.js';
import { showSeries, refreshSeries } from './series.js';
import { showSettings } from './settings.js';
import { bindSiteSwitch, chosenSite, searchWarnings, setStoEnabled, siteBadge, warningNotice } from './sites.js';
import { showStatus, hideStatus } from './status.js';
import { historyAdded, hideActivity, showActivity } from './activity.js';

const VIEWS = ['library', 'series', 'activity', 'settings', 'status'];
const state = { page: 1, perPage: 20, sort: '', filter: '', count: 0 };
let current = null;

function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const [view, ...rest] = hash.split('/');
  const name = VIEWS.includes(view) ? view : 'library';
  for (const v of VIEWS) document.getElementById(`view-${v}`).hidden = v !== name;
  for (const a of document.querySelectorAll('.bar nav a[data-view]')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (current === 'status' && name !== 'status') hideStatus();
  if (current === 'activity' && name !== 'activity') hideActivity();
  const changed = current !== null && current !== name;
  current = name;
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · aniworld`;
  if (name === 'library') loadLibrary();
  if (name === 'series') showSeries(rest.join('/'));
  if (name === 'settings') showSettings();
  if (name === 'status') showStatus();
  if (name === 'activity') showActivity();
  if (changed) $('#main').focus({ preventScroll: true });
}

function seriesCard(series) {
  const missing = missingList(series.missing_episodes);
  const seasons = Object.entries(series.missing_episodes || {})
    .map(([s, eps]) => `${s === '0' ? 'Films' : `Season ${s}`}: ${eps.length}`)
    .join(' · ');
  const download = h('button', { type: 'button', class: 'small' }, 'Download missing');
  download.addEventListener('click', () => busy(download, () => queueEpisodes(series, missing)));
  return h('li', { class: 'card', dataset: { key: series.key, site: series.site } },
    cover(series),
    h('div', { class: 'what' },
      h('strong', {}, h('a', { href: `#series/${encodeURIComponent(series.key)}` }, series.name)),
      h('span', { class: 'meta' }, siteBadge(series.site), ' ', series.folder)),
    h('span', { class: 'badge' }, `${missing.length} missing`),
    h('span', { class: 'meta' }, seasons),
    download);
}

async function loadLibrary() {
  const list = $('#series-list');
  const params = new URLSearchParams({ page: state.page, per_page: state.perPage });
  if (state.sort) params.set('sort_by', state.sort);
  if (state.filter) params.set('filter', state.filter);
  try {
    const [series, status] = await Promise.all([
      get(`/api/anime?${params}`),
      state.page === 1 ? get('/api/anime/status') : Promise.resolve(null),
    ]);
    if (status) {
      $('#library-summary').textContent = status.directory
        ? `${status.series_count} series in ${status.directory}`
        : 'No anime directory is set yet: choose one in the settings.';
    }
    state.count = series.length;
    fill(list, series.length
      ? series.map(seriesCard)
      : h('li', { class: 'empty' }, state.filter ? 'No series match the filter.' : 'No series is missing episodes.'));
    $('#page-info').textContent = `Page ${state.page}`;
    $('#prev').disabled = state.page <= 1;
    $('#next').disabled = series.length < state.perPage;
    if (!document.body.dataset.ready) performance.mark('aniworld:ready');
    document.body.dataset.ready = 'library';
  } catch (e) {
    fill(list, h('li', { class: 'form-error' }, errorText(e)));
  }
}

function searchResult(result) {
  const add = h('button', { type: 'button', class: 'small' }, 'Add');
  const image = cover(result);
  add.addEventListener('click', () => busy(add, async () => {
    const added = await post('/api/anime/add', { link: result.link, name: result.name });
    notify(`${added.message} (${added.total_missing} missing)`, 'ok');
    add.textContent = 'Added';
    add.disabled = true;
    // once added, the result shows the cover the server fetched
    image.replaceWith(cover({ ...result, cover: added.cover }));
    location.hash = `series/${encodeURIComponent(added.key)}`;
  }).finally(() => { if (add.textContent === 'Added') add.disabled = true; }));
  return h('li', { class: 'card', dataset: { key: result.key, site: result.site } },
    image,
    h('div', { class: 'what' }, h('strong', {}, result.name),
      h('span', { class: 'meta' }, siteBadge(result.site), ' ', result.link)),
    add);
}

async function search(event) {
  event.preventDefault();
  const query = $('#search-q').value.trim();
  const out = $('#search-results');
  if (!query) return;
  const button = event.submitter || $('#search-form button');
  const site = chosenSite();
  const params = new URLSearchParams({ query });
  if (site) params.set('site', site);
  await busy(button, async () => {
    fill(out, h('p', { class: 'empty' }, 'Searching…'));
    try {
      const { data: results, headers } = await request('GET', `/api/anime/search?${params}`);
      fill(out,
        h('h2', {}, `Search results for “${query}”${site ? ` on ${site}` : ''}`),
        warningNotice(searchWarnings(headers.get('X-Search-Warnings'))),
        results.length ? h('ul', { class: 'cards' }, results.map(searchResult)) : h('p', { class: 'empty' }, 'Nothing found.'));
    } catch (e) {
      fill(out, h('p', { class: 'form-error' }, errorText(e)));
    }
  });
}

function bindLibrary() {
  $('#search-form').addEventListener('submit', search);
  bindSiteSwitch();
  let typing = null;
  $('#filter').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.filter = $('#filter').value.trim(); state.page = 1; loadLibrary(); }, 300);
  });
  $('#list-form').addEventListener('submit', (e) => e.preventDefault());
  $('#sort').addEventListener('change', () => { state.sort = $('#sort').value; state.page = 1; loadLibrary(); });
  $('#per-page').addEventListener('change', () => { state.perPage = Number($('#per-page').value); state.page = 1; loadLibrary(); });
  $('#prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); loadLibrary(); });
  $('#next').addEventListener('click', () => { state.page += 1; loadLibrary(); });
}

// Library changes arrive as events; a burst of them refreshes the view once.
let refreshing = null;
function refreshSoon() {
  clearTimeout(refreshing);
  refreshing = setTimeout(() => {
    if (current === 'library') loadLibrary();
    if (current === 'series') refreshSeries();
  }, 400);
}

async function main() {
  initChrome();
  bindLibrary();
  try {
    if (!(await requireLogin())) return;
  } catch (e) {
    notify(errorText(e), 'error');
    return;
  }
  window.addEventListener('hashchange', route);
  route();
  // whether s.to may be chosen (the settings view tells again when it changes); unknown, it
  // stays offered and the server says so when it is off
  get('/api/config').then((c) => setStoEnabled(!!(c.provider || {}).sto_enabled)).catch(() => {});
  let first = true;
  openSocket({
    // after a reconnect the server replays what was missed (and the events below refresh
    // the page); when it says some are gone, load what is on screen again
    onReady({ resumed }) {
      if (!first && !resumed) refreshSoon();
      first = false;
    },
    onEvent(msg) {
      if (msg.type === 'history_added') historyAdded(msg.data);
      if (['download_complete', 'scan_complete', 'download_removed'].includes(msg.type)) refreshSoon();
      if (msg.type === 'download_failed' && !msg.data.will_retry) {
        notify(`${msg.data.folder} S${msg.data.season}E${msg.data.episode} failed: ${msg.data.error}`, 'error');
      }
    },
  });
}

main();
