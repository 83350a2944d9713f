// The series view (#series/<key>): seasons and episodes, the missing ones marked, the
// language of each file on disk and those waiting for a better one, "Download missing" for
// the whole series, a queue button on each episode, and the series' own settings. Loaded when
// first shown, with its texts (the `series` part).

import { get } from './api.js';
import { busy, episodeCode, errorText, fill, h } from './ui.js';
import { cover } from './cover.js';
import { missingList, queueEpisodes, seasonName } from './episodes.js';
import { seriesSettings, settingsDraft } from './series_settings.js';
import { siteBadge } from './sites.js';
import { formatNumber, languageName, t, tn, useTexts } from './i18n.js';

const view = () => document.getElementById('view-series');
let shown = null;
// the series on screen as the server answered, to render it again in another language
let current = null;
let failed = null;

/** A language of a file as the chosen language names it (an unknown one as it is). */
function languageText(value) {
  if (!value) return t('series.language_unknown');
  const name = languageName(value);
  return name === `language.${value}` ? value : name;
}

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
    ? `${series.year}–${series.last_year}` : series.last_year ? `${series.year}` : t('series.since', { year: series.year })) : null;
  const items = [
    years ? h('li', { class: 'years' }, years) : null,
    series.fsk !== null && series.fsk !== undefined ? h('li', { class: 'badge fsk', title: t('series.fsk_title') }, `FSK ${series.fsk}`) : null,
    ...(series.genres || []).map((g) => h('li', { class: 'genre' }, g)),
  ].filter(Boolean);
  const others = (series.alternative_titles || []).filter((t) => t !== series.title);
  return [
    items.length ? h('ul', { class: 'facts', id: 'series-facts', 'aria-label': t('series.about') }, items) : null,
    others.length ? h('p', { class: 'meta', id: 'series-titles' }, t('series.also_known_as', { titles: others.join(' · ') })) : null,
  ];
}

const back = () => h('p', {}, h('a', { href: '#library' }, `← ${t('nav.library')}`));

function render(series) {
  current = series;
  const missing = missingList(series.missing_episodes);
  const isMissing = new Set(missing.map((e) => `${e.season}-${e.episode}`));
  const languageOf = new Map((series.files || []).map((f) => [f.episode, f.language]));
  const awaiting = new Set(series.awaiting_upgrade || []);
  // On disk: the file's language on a line of its own, and whether a better one is awaited.
  const onDisk = (code) => [
    h('span', { class: 'state language' }, languageOf.has(code) ? languageText(languageOf.get(code)) : t('series.on_disk')),
    awaiting.has(code) ? h('span', { class: 'state awaiting' }, t('series.upgrade_awaited')) : null,
  ];
  let all = parseCodes(series.available_episodes);
  if (!all.length) all = missing; // the catalogue was not asked yet: the missing ones are what we know
  const target = { key: series.key, folder: series.folder, name: series.title };
  const downloadAll = h('button', { type: 'button', id: 'download-missing', disabled: !missing.length },
    missing.length ? t('series.download_missing', { n: formatNumber(missing.length) }) : t('series.nothing_missing'));
  downloadAll.addEventListener('click', () => busy(downloadAll, () => queueEpisodes(target, missing)));
  const seasons = bySeason(all).map(([season, episodes]) => h('section', { 'aria-label': seasonName(season) },
    h('h3', {}, seasonName(season),
      h('span', { class: 'meta' }, ` · ${tn('series.of_missing', episodes.filter((e) => isMissing.has(`${e.season}-${e.episode}`)).length, { total: formatNumber(episodes.length) })}`)),
    h('ul', { class: 'episodes' }, episodes.map((e) => {
      const gone = isMissing.has(`${e.season}-${e.episode}`);
      const code = season ? episodeCode(e.season, e.episode) : t('series.film', { n: e.episode });
      const queue = h('button', { type: 'button', class: gone ? 'small' : 'ghost small', 'aria-label': t('series.queue_episode', { code }) }, t('series.queue'));
      queue.addEventListener('click', () => busy(queue, () => queueEpisodes(target, [e])));
      return h('li', { class: gone ? 'episode missing' : 'episode', dataset: { episode: `${e.season}-${e.episode}` } },
        h('span', {}, h('strong', {}, code), ' ',
          gone ? h('span', { class: 'state' }, t('series.missing')) : onDisk(`${e.season}-${e.episode}`)),
        queue);
    }))));
  fill(view(),
    back(),
    h('div', { class: 'series-head' },
      cover(series, 'large'),
      h('div', { class: 'what' },
        h('h1', { id: 'series-title' }, series.title),
        h('p', { class: 'meta', id: 'series-site' }, siteBadge(series.site), ' ', series.folder,
          /^https?:\/\//.test(series.link) ? [' · ', h('a', { href: series.link, rel: 'noreferrer' }, t('series.site_page', { site: series.site }))] : null),
        facts(series),
        series.description ? h('p', { id: 'series-description' }, series.description) : null)),
    h('div', { class: 'row' },
      h('span', { class: missing.length ? 'badge' : 'badge ok' }, tn('library.missing', missing.length)),
      downloadAll),
    awaiting.size ? h('p', { class: 'meta', id: 'awaiting-upgrade' },
      tn('series.awaiting', awaiting.size)) : null,
    seasons.length ? seasons : h('p', { class: 'empty' }, t('series.no_episodes')),
    seriesSettings(series, render));
}

function showFailure(e) {
  current = null;
  failed = e;
  fill(view(), back(), h('p', { class: 'form-error' }, errorText(e)));
}

/** Shows one series. */
export async function showSeries(key) {
  shown = key;
  current = null;
  failed = null;
  fill(view(), h('p', { class: 'empty' }, t('common.loading')));
  await refreshSeries();
}

/** Loads the shown series again (after a download finished). */
export async function refreshSeries() {
  if (!shown) return;
  const key = shown;
  try {
    const [series] = await Promise.all([get(`/api/anime/${encodeURIComponent(key)}`), useTexts('series')]);
    if (key === shown) { failed = null; render(series); }
  } catch (e) {
    if (key === shown) showFailure(e);
  }
}

// another language: the series on screen again, with what its settings form holds unsaved
document.addEventListener('localechange', () => {
  if (view().hidden) return;
  if (failed) showFailure(failed);
  if (!current) return;
  const draft = settingsDraft(view());
  const { scrollX, scrollY } = window;
  render(draft ? { ...current, ...draft } : current);
  window.scrollTo(scrollX, scrollY);
});
