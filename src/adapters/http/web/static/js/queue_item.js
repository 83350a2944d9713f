// One queue item on the /queue page: its row (selection box, what it is, progress with
// percent, speed and ETA, its error, and its buttons) and the in-place progress update.

import { episodeCode, formatEta, formatMb, h } from './ui.js';
import { moveButtons } from './order.js';

/** What people call an item: "Dr. Stone S01E02". */
export function itemLabel(item) {
  return `${item.serie_name || item.serie_folder} ${episodeCode(item.episode.season, item.episode.episode)}`;
}

/** Shows `progress` ({percent, speed_mbps, eta_seconds, downloaded_mb, total_mb}) in a row. */
export function showProgress(row, progress) {
  const box = row.querySelector('.progress');
  if (!box || !progress) return;
  const bar = box.querySelector('progress');
  const percent = Math.max(0, Math.min(100, progress.percent || 0));
  bar.value = percent;
  bar.textContent = `${percent.toFixed(1)} %`;
  box.querySelector('.pct').textContent = `${percent.toFixed(1)} %`;
  const size = progress.total_mb ? `${formatMb(progress.downloaded_mb || 0)} of ${formatMb(progress.total_mb)}` : formatMb(progress.downloaded_mb);
  box.querySelector('.size').textContent = size || '';
  const speed = progress.speed_mbps;
  box.querySelector('.speed').textContent = speed ? `${speed.toFixed(2)} MB/s` : '';
  box.querySelector('.eta').textContent = progress.eta_seconds != null && percent < 100 ? `ETA ${formatEta(progress.eta_seconds)}` : '';
}

/** Who added an item, where it was not the user: automatic downloads, an upgrade, Sonarr. */
const ORIGINS = { auto: 'Auto', upgrade: 'Upgrade', arr: 'Sonarr' };

function originBadge(item) {
  const name = ORIGINS[item.origin];
  if (!name) return null;
  const title = item.origin === 'arr' ? `Added by Sonarr: ${item.release || ''}` : `Added by ${name.toLowerCase()}`;
  return h('span', { class: `badge origin ${item.origin}`, title, dataset: { origin: item.origin } }, name);
}

/**
 * The row of an item in `section` (active, pending, completed, failed). `actions` holds
 * the handlers: remove(item), retry(item), moved() after an up/down move.
 */
export function itemRow(item, section, selected, actions) {
  const label = itemLabel(item);
  const box = h('input', { type: 'checkbox', class: 'select', checked: selected, 'aria-label': `Select ${label}` });
  const details = [item.priority, item.hoster, item.language, item.retry_count ? `retry ${item.retry_count}` : null,
    item.origin === 'arr' ? item.release : null, item.file]
    .filter(Boolean).join(' · ');
  const buttons = [];
  if (section === 'pending') buttons.push(...moveButtons(label, actions.moved));
  if (section === 'failed') {
    const retry = h('button', { type: 'button', class: 'ghost small', dataset: { action: 'retry' }, 'aria-label': `Retry ${label}` }, 'Retry');
    retry.addEventListener('click', () => actions.retry(item, retry));
    buttons.push(retry);
  }
  const remove = h('button', { type: 'button', class: 'danger small', dataset: { action: 'remove' }, 'aria-label': `Remove ${label}` },
    section === 'active' ? 'Cancel' : 'Remove');
  remove.addEventListener('click', () => actions.remove(item, remove));
  buttons.push(remove);
  const showBar = section === 'active' || (section === 'pending' && item.progress && item.progress.percent > 0);
  const row = h('li', { class: 'item', dataset: { id: item.id, status: item.status }, draggable: section === 'pending' },
    box,
    h('div', { class: 'what' },
      h('strong', {}, item.serie_name || item.serie_folder), ' ',
      h('span', {}, episodeCode(item.episode.season, item.episode.episode)), ' ',
      originBadge(item),
      item.episode.title ? h('span', { class: 'meta' }, ` · ${item.episode.title}`) : null,
      details ? h('div', { class: 'meta' }, details) : null),
    h('div', { class: 'actions' }, buttons),
    showBar ? h('div', { class: 'progress' },
      h('progress', { max: 100, value: 0, 'aria-label': `Progress of ${label}` }),
      h('span', { class: 'pct' }, '0.0 %'), h('span', { class: 'size' }), h('span', { class: 'speed' }), h('span', { class: 'eta' })) : null,
    item.error ? h('p', { class: 'error' }, section === 'pending' ? `Will retry: ${item.error}` : item.error) : null);
  if (showBar) showProgress(row, item.progress || { percent: 0 });
  return row;
}
