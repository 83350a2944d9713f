// The status view (#status): `GET /health/detailed` for people. Known parts (database, disk,
// catalogue, hosters) get their own layout; anything else is shown generically, so new
// fields from the server appear without a UI change. Refreshed every 30 s while shown, and
// drawn again in the new language when the language changes.

import { get } from './api.js';
import { errorText, fill, formatEta, formatTime, h } from './ui.js';
import { formatMb, formatNumber, language, t, useTexts } from './i18n.js';

// the queue's texts (the status view's are among them), before anything renders
await useTexts('queue');

const REFRESH_MS = 30000;
let timer = null;
// the last answer (or failure) and when it came, for drawing again in another language
let last = null;
let updated = null;

// Labels for people: the fields this server reports have their text in the catalogue
// (`status.field_<key>`); another one is made from its name, `disk_free_mb` → "Disk free"
// (the unit goes with the value, see `show`).
const FIELDS = new Set([
  'status', 'connection_time_ms', 'message', 'data_dir_writable', 'logs_dir_writable',
  'cpu_percent', 'memory_percent', 'memory_available_mb', 'disk_percent', 'disk_free_mb', 'uptime_seconds',
  'site', 'enabled', 'resting_seconds', 'refused', 'remedy', 'attempts', 'successes', 'failures',
  'layout', 'challenge', 'http_status', 'timeout', 'other', 'last_success', 'last_error', 'last_error_at',
  'resting', 'user_agent', 'tls', 'alpn', 'dns_over_https',
  'database', 'catalogue', 'identity',
]);
const words = (key) => (FIELDS.has(key) ? t(`status.field_${key}`) : key
  .replace(/_(mb|ms|percent)$/, (_, unit) => (unit === 'percent' ? '_used' : ''))
  .replace(/_/g, ' ')
  .replace(/^./, (c) => c.toUpperCase()));

// The states the server reports; the class keeps the server's word, the text is translated.
const STATES = new Set(['healthy', 'degraded', 'unhealthy', 'failing', 'resting', 'off', 'unknown']);

function statusWord(value) {
  const v = String(value);
  return h('span', { class: `status-${v}` }, STATES.has(v) ? t(`status.state_${v}`) : v);
}

/** A number for people: whole numbers as they are, others with one decimal. */
const number = (value) => formatNumber(value, Number.isInteger(value) ? 0 : 1);

/** A value for people: times as local times, numbers rounded, objects as nested lists. */
function show(key, value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? t('status.yes') : t('status.no');
  if (key === 'status') return statusWord(value);
  if (typeof value === 'number') {
    if (key.endsWith('_mb')) return formatMb(value);
    if (key.endsWith('_percent')) return `${number(value)} %`;
    if (key.endsWith('_ms')) return `${number(value)} ms`;
    if (key.endsWith('_seconds')) return formatEta(value);
    return number(value);
  }
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return formatTime(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return pairs(value);
  // the server's own words (a message, a remedy, an error) are English, and say so
  return h('span', { lang: 'en' }, String(value));
}

function pairs(obj) {
  return h('dl', { class: 'kv' }, Object.entries(obj).flatMap(([k, v]) => [h('dt', {}, words(k)), h('dd', {}, show(k, v))]));
}

function panel(title, obj) {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), obj && typeof obj === 'object' ? pairs(obj) : h('p', {}, show('', obj)));
}

/**
 * One card for each of the hosters or catalogue sites (`data-<kind>` names it, as the server
 * spells it), status first, whatever keys the server reports for them.
 */
function cardsPanel(title, kind, all, empty) {
  const names = Object.keys(all);
  const cards = names.map((name) => {
    const { status, ...rest } = all[name] || {};
    return h('li', { class: 'hoster', dataset: { [kind]: name } },
      h('h3', {}, name, status !== undefined ? [' · ', statusWord(status)] : null),
      pairs(rest));
  });
  return h('section', { class: 'panel wide', 'aria-label': title, id: `${kind}s` },
    h('h2', {}, title),
    names.length ? h('ul', { class: 'hosters' }, cards) : h('p', { class: 'empty' }, empty));
}

function render(health) {
  const deps = { ...(health.dependencies || {}) };
  const { hosters, catalogues } = deps;
  delete deps.hosters;
  delete deps.catalogues;
  const sections = [
    h('section', { class: 'panel', 'aria-label': t('status.overall') },
      h('h2', {}, `${t('status.overall')}: `, statusWord(health.status)),
      h('p', { class: 'meta' }, t('status.version_since', { version: health.version, time: formatTime(health.startup_time) }))),
  ];
  const order = ['database', 'filesystem', 'system', 'catalogue'];
  const keys = [...order.filter((k) => k in deps), ...Object.keys(deps).filter((k) => !order.includes(k))];
  const titles = { system: 'status.machine_and_disk', filesystem: 'status.folders' };
  for (const k of keys) sections.push(panel(titles[k] ? t(titles[k]) : words(k), deps[k]));
  if (catalogues && typeof catalogues === 'object') sections.push(cardsPanel(t('status.catalogue_sites'), 'catalogue', catalogues, t('status.no_site')));
  if (hosters && typeof hosters === 'object') sections.push(cardsPanel(t('status.hosters'), 'hoster', hosters, t('status.no_hoster')));
  else sections.push(h('section', { class: 'panel' }, h('h2', {}, t('status.hosters')), h('p', { class: 'empty' }, t('status.no_hoster_health'))));
  fill(document.getElementById('status-body'), h('div', { class: 'grid2' }, sections));
}

/** When the status was fetched: `Updated 12:30:05`. */
function showUpdated() {
  const locale = language() === 'de' ? 'de-DE' : 'en-GB';
  document.getElementById('status-time').textContent = updated
    ? t('status.updated', { time: new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(updated) }) : '';
}

function draw() {
  if (!last) return;
  if (last.health) render(last.health);
  else fill(document.getElementById('status-body'), h('p', { class: 'form-error' }, errorText(last.error)));
  showUpdated();
}

async function load() {
  try {
    last = { health: await get('/health/detailed') };
    updated = new Date();
  } catch (e) {
    last = { error: e };
  }
  draw();
}

document.getElementById('status-refresh')?.addEventListener('click', load);
document.addEventListener('localechange', () => { if (timer !== null) draw(); });

/** Shows the status and keeps it fresh while shown. */
export function showStatus() {
  clearInterval(timer);
  load();
  timer = setInterval(load, REFRESH_MS);
}

/** Stops refreshing. */
export function hideStatus() {
  clearInterval(timer);
  timer = null;
}
