// The status view (#status): `GET /health/detailed` for people. Known parts (database, disk,
// catalogue, hosters) get their own layout; anything else is shown generically, so new
// fields from the server appear without a UI change. Refreshed every 30 s while shown.

import { get } from './api.js';
import { errorText, fill, formatEta, formatTime, h } from './ui.js';

const REFRESH_MS = 30000;
let timer = null;

// Labels for people: `disk_free_mb` → "Disk free" (the unit goes with the value, see `show`).
const LABELS = { http_status: 'HTTP status', resting_seconds: 'Rest ends in', uptime_seconds: 'Uptime', cpu_percent: 'CPU used' };
const words = (key) => LABELS[key] || key
  .replace(/_(mb|ms|percent)$/, (_, unit) => (unit === 'percent' ? '_used' : ''))
  .replace(/_/g, ' ')
  .replace(/^./, (c) => c.toUpperCase());

function statusWord(value) {
  const v = String(value);
  return h('span', { class: `status-${v}` }, v);
}

/** A value for people: times as local times, numbers rounded, objects as nested lists. */
function show(key, value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (key === 'status') return statusWord(value);
  if (typeof value === 'number') {
    const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
    if (key.endsWith('_mb')) return `${n} MB`;
    if (key.endsWith('_percent')) return `${n} %`;
    if (key.endsWith('_ms')) return `${n} ms`;
    if (key.endsWith('_seconds')) return formatEta(value);
    return n;
  }
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return formatTime(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return pairs(value);
  return String(value);
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
    h('section', { class: 'panel', 'aria-label': 'Overall' },
      h('h2', {}, 'Overall: ', statusWord(health.status)),
      h('p', { class: 'meta' }, `Version ${health.version} · running since ${formatTime(health.startup_time)}`)),
  ];
  const order = ['database', 'filesystem', 'system', 'catalogue'];
  const keys = [...order.filter((k) => k in deps), ...Object.keys(deps).filter((k) => !order.includes(k))];
  const titles = { system: 'Machine and disk', filesystem: 'Folders' };
  for (const k of keys) sections.push(panel(titles[k] || words(k), deps[k]));
  if (catalogues && typeof catalogues === 'object') sections.push(cardsPanel('Catalogue sites', 'catalogue', catalogues, 'No site is known.'));
  if (hosters && typeof hosters === 'object') sections.push(cardsPanel('Hosters', 'hoster', hosters, 'No hoster was tried yet.'));
  else sections.push(h('section', { class: 'panel' }, h('h2', {}, 'Hosters'), h('p', { class: 'empty' }, 'This server does not report hoster health yet.')));
  fill(document.getElementById('status-body'), h('div', { class: 'grid2' }, sections));
  document.getElementById('status-time').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

async function load() {
  try {
    render(await get('/health/detailed'));
  } catch (e) {
    fill(document.getElementById('status-body'), h('p', { class: 'form-error' }, errorText(e)));
  }
}

document.getElementById('status-refresh')?.addEventListener('click', load);

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
