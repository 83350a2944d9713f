// Episodes of a series: the missing ones as a list, a season's name, and putting episodes in
// the queue.

import { post } from './api.js';
import { notify } from './ui.js';
import { formatNumber, t, tn } from './i18n.js';

/** "Season 2", or "Films" for season 0. */
export const seasonName = (season) => (season ? t('series.season', { n: formatNumber(season) }) : t('series.films'));

/** The series' missing episodes as `[{season, episode}]`, films (season 0) last. */
export function missingList(missing) {
  return Object.entries(missing || {})
    .sort(([a], [b]) => (Number(a) || 1e9) - (Number(b) || 1e9))
    .flatMap(([season, episodes]) => episodes.map((episode) => ({ season: Number(season), episode })));
}

/** Queues episodes of a series; tells what was added and what not. */
export async function queueEpisodes(series, episodes) {
  const added = await post('/api/queue/add', {
    serie_id: series.key,
    serie_folder: series.folder,
    serie_name: series.name || series.title,
    episodes: episodes.map(({ season, episode }) => ({ season, episode })),
    priority: 'NORMAL',
  });
  notify(tn('episodes.added', (added.added_items || []).length), 'ok');
  for (const failed of added.failed_items || []) {
    notify(`S${failed.season}E${failed.episode}: ${failed.reason}`, 'error');
  }
  return added;
}
