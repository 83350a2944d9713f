// One queue item on the /queue page: its row (selection box, what it is, progress with
// percent, speed and ETA, its error, and its buttons) and the in-place progress update.

import { episodeCode, formatEta, formatMb, h } from './ui.js';
import { formatNumber, formatSpeed, languageName, t } from './i18n.js';
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
  bar.textContent = percentText(percent);
  box.querySelector('.pct').textContent = percentText(percent);
  const size = progress.total_mb
    ? t('queue_item.size_of', { done: formatMb(progress.downloaded_mb || 0), total: formatMb(progress.total_mb) })
    : formatMb(progress.downloaded_mb);
  box.querySelector('.size').textContent = size || '';
  const speed = progress.speed_mbps;
  box.querySelector('.speed').textContent = speed ? formatSpeed(speed) : '';
  box.querySelector('.eta').textContent = progress.eta_seconds != null && percent < 100
    ? t('queue_item.eta', { eta: formatEta(progress.eta_seconds) }) : '';
}

/** `45.3 %`, `45,3 %`. */
const percentText = (percent) => `${formatNumber(percent, 1)} %`;

/** Who added an item, where it was not the user: automatic downloads, an upgrade, Sonarr. */
const ORIGINS = {
  auto: () => [t('queue_item.origin_auto'), t('queue_item.added_by_auto')],
  upgrade: () => [t('queue_item.origin_upgrade'), t('queue_item.added_by_upgrade')],
  arr: (item) => [t('queue_item.origin_arr'), t('queue_item.added_by_sonarr', { release: item.release || '' })],
};

function originBadge(item) {
  const origin = Object.hasOwn(ORIGINS, item.origin) ? ORIGINS[item.origin] : null;
  if (!origin) return null;
  const [name, title] = origin(item);
  return h('span', { class: `badge origin ${item.origin}`, title, dataset: { origin: item.origin } }, name);
}

/** The API's priorities (`HIGH`, `NORMAL`, `LOW`) for people; an unknown one as it is. */
const PRIORITIES = { HIGH: 'queue_item.priority_high', NORMAL: 'queue_item.priority_normal', LOW: 'queue_item.priority_low' };
const priorityName = (priority) => (Object.hasOwn(PRIORITIES, priority || '') ? t(PRIORITIES[priority]) : priority);

/** A language value of the API for people (`Deutsch (Dub)`); one the catalogue lacks as it is. */
function languageText(value) {
  const name = languageName(value);
  return name === `language.${value}` ? value : name;
}

/**
 * The row of an item in `section` (active, pending, completed, failed). `actions` holds
 * the handlers: remove(item), retry(item), moved() after an up/down move.
 */
export function itemRow(item, section, selected, actions) {
  const label = itemLabel(item);
  const box = h('input', { type: 'checkbox', class: 'select', checked: selected, 'aria-label': t('queue_item.select', { label }) });
  const details = [priorityName(item.priority), item.hoster, languageText(item.language),
    item.retry_count ? t('queue_item.retry_count', { n: formatNumber(item.retry_count) }) : null,
    item.origin === 'arr' ? item.release : null, item.file]
    .filter(Boolean).join(' · ');
  const buttons = [];
  if (section === 'pending') buttons.push(...moveButtons(label, actions.moved));
  if (section === 'failed') {
    const retry = h('button', { type: 'button', class: 'ghost small', dataset: { action: 'retry' }, 'aria-label': t('queue_item.retry_label', { label }) },
      t('queue_item.retry'));
    retry.addEventListener('click', () => actions.retry(item, retry));
    buttons.push(retry);
  }
  const remove = h('button', { type: 'button', class: 'danger small', dataset: { action: 'remove' }, 'aria-label': t('queue_item.remove_label', { label }) },
    section === 'active' ? t('queue_item.cancel') : t('queue_item.remove'));
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
      h('progress', { max: 100, value: 0, 'aria-label': t('queue_item.progress_of', { label }) }),
      h('span', { class: 'pct' }, percentText(0)), h('span', { class: 'size' }), h('span', { class: 'speed' }), h('span', { class: 'eta' })) : null,
    item.error ? h('p', { class: 'error' }, section === 'pending' ? t('queue_item.will_retry', { error: item.error }) : item.error) : null);
  if (showBar) showProgress(row, item.progress || { percent: 0 });
  return row;
}
