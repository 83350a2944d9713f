// The series view (#series/<key>): seasons and episodes, the missing ones marked, the
// language of each file on disk and those waiting for a better one, "Download missing" for
// the whole series, a queue button on each episode, and the series' own settings.

import { get } from './api.js';
import { busy, episodeCode, errorText, fill, h } from './ui.js';
import { cover } from './cover.js';
import { missingList, queueEpisodes } from './episodes.js';
import { seriesSettings } from './series_settings.js';
import { siteBadge } from './sites.js';

const view = () => document.getElementById('view-series');
let shown = null;

/** `["1-1", "0-2"]` as `[{season, episode}]`. */
function parseCodes(codes) {
  return (codes || []).map((code) => {
    const [season, episode] = code.split('-').map(Number);
    return { season, episode };
  }).filter((e) => Number.isInteger(e.season) && Number.isInteger(e.episode));
}

function bySeason(episodes) {
  const seasons = new Map();
  for (const e of episodes) {
    if (!seasons.has(e.season)) seasons.set(e.season, []);
    seasons.get(e.season).push(e);
  }
  for (const list of seasons.values()) list.sort((a, b) => a.episode - b.episode);
  // films (season 0) after the seasons
  return [...seasons.entries()].sort(([a], [b]) => (a || 1e9) - (b || 1e9));
}

/** Years, FSK, genres and other titles, as far as the site says. */
function facts(series) {
  const years = series.year ? (series.last_year && series.last_year !== series.year
    ? `${series.year}–${series.last_year}` : series.last_year ? `${series.year}` : `since ${series.year}`) : null;
  const items = [
    years ? h('li', { class: 'years' }, years) : null,
    series.fsk !== null && series.fsk !== undefined ? h('li', { class: 'badge fsk', title: 'German age rating' }, `FSK ${series.fsk}`) : null,
    ...(series.genres || []).map((g) => h('li', { class: 'genre' }, g)),
  ].filter(Boolean);
  const others = (series.alternative_titles || []).filter((t) => t !== series.title);
  return [
    items.length ? h('ul', { class: 'facts', id: 'series-facts', 'aria-label': 'About the series' }, items) : null,
    others.length ? h('p', { class: 'meta', id: 'series-titles' }, `Also known as ${others.join(' · ')}`) : null,
  ];
}

function render(series) {
  const missing = missingList(series.missing_episodes);
  const isMissing = new Set(missing.map((e) => `${e.season}-${e.episode}`));
  const languageOf = new Map((series.files || []).map((f) => [f.episode, f.language]));
  const awaiting = new Set(series.awaiting_upgrade || []);
  // On disk: the file's language on a line of its own, and whether a better one is awaited.
  const onDisk = (code) => [
    h('span', { class: 'state language' }, languageOf.has(code) ? (languageOf.get(code) || 'language unknown') : 'on disk'),
    awaiting.has(code) ? h('span', { class: 'state awaiting' }, 'upgrade awaited') : null,
  ];
  let all = parseCodes(series.available_episodes);
  if (!all.length) all = missing; // the catalogue was not asked yet: the missing ones are what we know
  const target = { key: series.key, folder: series.folder, name: series.title };
  const downloadAll = h('button', { type: 'button', id: 'download-missing', disabled: !missing.length },
    missing.length ? `Download missing (${missing.length})` : 'Nothing missing');
  downloadAll.addEventListener('click', () => busy(downloadAll, () => queueEpisodes(target, missing)));
  const seasons = bySeason(all).map(([season, episodes]) => h('section', { 'aria-label': season ? `Season ${season}` : 'Films' },
    h('h3', {}, season ? `Season ${season}` : 'Films',
      h('span', { class: 'meta' }, ` · ${episodes.filter((e) => isMissing.has(`${e.season}-${e.episode}`)).length} of ${episodes.length} missing`)),
    h('ul', { class: 'episodes' }, episodes.map((e) => {
      const gone = isMissing.has(`${e.season}-${e.episode}`);
      const code = season ? episodeCode(e.season, e.episode) : `Film ${e.episode}`;
      const queue = h('button', { type: 'button', class: gone ? 'small' : 'ghost small', 'aria-label': `Queue ${code}` }, 'Queue');
      queue.addEventListener('click', () => busy(queue, () => queueEpisodes(target, [e])));
      return h('li', { class: gone ? 'episode missing' : 'episode', dataset: { episode: `${e.season}-${e.episode}` } },
        h('span', {}, h('strong', {}, code), ' ',
          gone ? h('span', { class: 'state' }, 'missing') : onDisk(`${e.season}-${e.episode}`)),
        queue);
    }))));
  fill(view(),
    h('p', {}, h('a', { href: '#library' }, '← Library')),
    h('div', { class: 'series-head' },
      cover(series, 'large'),
      h('div', { class: 'what' },
        h('h1', { id: 'series-title' }, series.title),
        h('p', { class: 'meta', id: 'series-site' }, siteBadge(series.site), ' ', series.folder,
          /^https?:\/\//.test(series.link) ? [' · ', h('a', { href: series.link, rel: 'noreferrer' }, `Series page on ${series.site}`)] : null),
        facts(series),
        series.description ? h('p', { id: 'series-description' }, series.description) : null)),
    h('div', { class: 'row' },
      h('span', { class: missing.length ? 'badge' : 'badge ok' }, `${missing.length} missing`),
      downloadAll),
    awaiting.size ? h('p', { class: 'meta', id: 'awaiting-upgrade' },
      `${awaiting.size} waiting for a better language`) : null,
    seasons.length ? seasons : h('p', { class: 'empty' }, 'The catalogue lists no episodes for this series.'),
    seriesSettings(series, render));
}

/** Shows one series. */
export async function showSeries(key) {
  shown = key;
  fill(view(), h('p', { class: 'empty' }, 'Loading…'));
  await refreshSeries();
}

/** Loads the shown series again (after a download finished). */
export async function refreshSeries() {
  if (!shown) return;
  const key = shown;
  try {
    const series = await get(`/api/anime/${encodeURIComponent(key)}`);
    if (key === shown) render(series);
  } catch (e) {
    fill(view(), h('p', {}, h('a', { href: '#library' }, '← Library')), h('p', { class: 'form-error' }, errorText(e)));
  }
}
