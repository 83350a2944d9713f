// Episodes of a series: the missing ones as a list, and putting episodes in the queue.

import { post } from './api.js';
import { notify } from './ui.js';
import { tn } from './i18n.js';

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
