// `/`: the library (series with missing episodes, search, add) and, by the URL's hash, the
// series view (#series/<key>), the activity (#activity), the settings (#settings, or
// #settings/<section> with that section open) and the status (#status); these four are
// loaded when first shown. The search asks both catalogue sites or one (sites.js). One
// WebSocket for the page: a finished download or scan refreshes what is on screen. Texts: the
// `library` part of the catalogue, in the chosen language (each view loads its own); a new
// language renders what is on screen again.

import { get, post, request, requireLogin } from './api.js';
import { cover } from './cover.js';
import { missingList, queueEpisodes, seasonName } from './episodes.js';
import { $, busy, errorText, fill, h, initChrome, notify } from './ui.js';
import { formatNumber, t, tn, useTexts } from './i18n.js';
import { openSocket } from './socket.js';
import { bindSiteSwitch, chosenSite, searchWarnings, setStoEnabled, siteBadge, warningNotice } from './sites.js';

const VIEWS = ['library', 'series', 'activity', 'settings', 'status'];
// The views loaded when first shown: their code (and texts) count for them, not the library.
const LAZY = {
  series: () => import('./series.js'),
  activity: () => import('./activity.js'),
  settings: () => import('./settings.js'),
  status: () => import('./status.js'),
};
const loaded = {};
/** Runs `work` with the module of a lazy view once it is there. */
function withView(name, work) {
  // a module that failed to load is asked for again next time
  loaded[name] ??= LAZY[name]().catch((e) => { delete loaded[name]; throw e; });
  loaded[name].then(work).catch((e) => notify(errorText(e), 'error'));
}
const state = { page: 1, perPage: 20, sort: '', filter: '', count: 0 };
let current = null;
// what the library view shows, kept to render it again in another language
let shown = null;
// the last search (query, site, results, warnings) and the links added from it
let searched = null;
const added = new Set();

/** The page's title: the view's name (the series view's too) and the product's. */
function setTitle() {
  if (current) document.title = t('library.title', { view: t(current === 'series' ? 'library.view_series' : `nav.${current}`) });
}

function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const [view, ...rest] = hash.split('/');
  const name = VIEWS.includes(view) ? view : 'library';
  for (const v of VIEWS) document.getElementById(`view-${v}`).hidden = v !== name;
  for (const a of document.querySelectorAll('.bar nav a[data-view]')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (current === 'status' && name !== 'status') withView('status', (m) => m.hideStatus());
  if (current === 'activity' && name !== 'activity') withView('activity', (m) => m.hideActivity());
  const changed = current !== null && current !== name;
  current = name;
  setTitle();
  if (name === 'library') loadLibrary();
  if (name === 'series') {
    // (until its module is there)
    fill($('#view-series'), h('p', { class: 'empty' }, t('common.loading')));
    withView('series', (m) => m.showSeries(rest.join('/')));
  }
  if (name === 'settings') withView('settings', (m) => m.showSettings(rest[0]));
  if (name === 'status') withView('status', (m) => m.showStatus());
  if (name === 'activity') withView('activity', (m) => m.showActivity());
  if (changed) $('#main').focus({ preventScroll: true });
}

function seriesCard(series) {
  const missing = missingList(series.missing_episodes);
  const seasons = Object.entries(series.missing_episodes || {})
    .map(([s, eps]) => `${seasonName(Number(s))}: ${formatNumber(eps.length)}`)
    .join(' · ');
  const download = h('button', { type: 'button', class: 'small' }, t('library.download_missing'));
  download.addEventListener('click', () => busy(download, () => queueEpisodes(series, missing)));
  return h('li', { class: 'card', dataset: { key: series.key, site: series.site } },
    cover(series),
    h('div', { class: 'what' },
      h('strong', {}, h('a', { href: `#series/${encodeURIComponent(series.key)}` }, series.name)),
      h('span', { class: 'meta' }, siteBadge(series.site), ' ', series.folder)),
    h('span', { class: 'badge' }, tn('library.missing', missing.length)),
    h('span', { class: 'meta' }, seasons),
    download);
}

/** Fills the library view from what was loaded last. */
function renderLibrary() {
  if (!shown) return;
  const { series, status, filter, page } = shown;
  if (status) {
    $('#library-summary').textContent = status.directory
      ? tn('library.summary', status.series_count, { directory: status.directory })
      : t('library.no_directory');
  }
  state.count = series.length;
  fill($('#series-list'), series.length
    ? series.map(seriesCard)
    : h('li', { class: 'empty' }, filter ? t('library.no_match') : t('library.none_missing')));
  $('#page-info').textContent = t('library.page', { page: formatNumber(page) });
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
    shown = { series, status: status || (shown && shown.status), filter: state.filter, page: state.page };
    renderLibrary();
    $('#prev').disabled = state.page <= 1;
    $('#next').disabled = series.length < state.perPage;
    if (!document.body.dataset.ready) performance.mark('aniworld:ready');
    document.body.dataset.ready = 'library';
  } catch (e) {
    fill(list, h('li', { class: 'form-error' }, errorText(e)));
  }
}

function searchResult(result) {
  const done = added.has(result.link);
  const add = h('button', { type: 'button', class: 'small', disabled: done }, done ? t('library.added') : t('library.add'));
  const image = cover(result);
  add.addEventListener('click', () => busy(add, async () => {
    const answer = await post('/api/anime/add', { link: result.link, name: result.name });
    notify(tn('library.added_series', answer.total_missing, { name: (result.name || '').trim() || answer.folder }), 'ok');
    added.add(result.link);
    // once added, the result shows the cover the server fetched
    result.cover = answer.cover;
    add.textContent = t('library.added');
    add.disabled = true;
    image.replaceWith(cover(result));
    location.hash = `series/${encodeURIComponent(answer.key)}`;
  }).finally(() => { if (added.has(result.link)) add.disabled = true; }));
  return h('li', { class: 'card', dataset: { key: result.key, site: result.site } },
    image,
    h('div', { class: 'what' }, h('strong', {}, result.name),
      h('span', { class: 'meta' }, siteBadge(result.site), ' ', result.link)),
    add);
}

/** Fills the search results from the last search. */
function renderSearch() {
  if (!searched) return;
  const { query, site, results, warnings } = searched;
  fill($('#search-results'),
    h('h2', {}, site ? t('library.results_on', { query, site }) : t('library.results', { query })),
    warningNotice(warnings),
    results.length ? h('ul', { class: 'cards' }, results.map(searchResult)) : h('p', { class: 'empty' }, t('library.nothing_found')));
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
    searched = null;
    fill(out, h('p', { class: 'empty' }, t('library.searching')));
    try {
      const { data: results, headers } = await request('GET', `/api/anime/search?${params}`);
      searched = { query, site, results, warnings: searchWarnings(headers.get('X-Search-Warnings')) };
      renderSearch();
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
    if (current === 'series') withView('series', (m) => m.refreshSeries());
  }, 400);
}

async function main() {
  initChrome();
  bindLibrary();
  try {
    // the texts of the library and the search before any renders (the other views load theirs)
    await useTexts('library');
    if (!(await requireLogin())) return;
  } catch (e) {
    notify(errorText(e), 'error');
    return;
  }
  window.addEventListener('hashchange', route);
  // another language: the title, the library and the search results again (the other views
  // listen themselves)
  document.addEventListener('localechange', () => {
    setTitle();
    renderLibrary();
    renderSearch();
  });
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
      // (the activity view, once loaded, shows the new entry)
      if (msg.type === 'history_added' && loaded.activity) withView('activity', (m) => m.historyAdded(msg.data));
      if (['download_complete', 'scan_complete', 'download_removed'].includes(msg.type)) refreshSoon();
      if (msg.type === 'download_failed' && !msg.data.will_retry) {
        notify(t('library.download_failed', { what: `${msg.data.folder} S${msg.data.season}E${msg.data.episode}`, error: msg.data.error }), 'error');
      }
    },
  });
}

main();
