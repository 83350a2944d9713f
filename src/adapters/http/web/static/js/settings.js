// The settings view (#settings): scheduler, downloads (languages and hosters in order),
// FlareSolverr, log level, the second site s.to; saved as one partial `PUT /api/config`.
// Fields the server does not have yet (an older server) are shown disabled with a note.
// Backups and the anime directory are in `backups.js`. API keys (`keys.js`), connections
// (`connections.js`) and how to add the product to Sonarr (`arr.js`) are sections loaded when
// opened, with their texts; `#settings/keys`, `#settings/connections`, `#settings/arr` open
// one. Another language builds the view again, keeping what was typed but not saved and the
// sections that are open.

import { get, put } from './api.js';
import { busy, errorText, fill, h, notify } from './ui.js';
import { languageName, t, useTexts } from './i18n.js';
import { chosenOf, orderList } from './order.js';
import { backupsPanel, directoryPanel } from './backups.js';
import { setStoEnabled } from './sites.js';

const LANGUAGES = ['German Dub', 'German Sub', 'English Sub', 'English Dub'];
const HOSTERS = ['VOE', 'Filemoon', 'Vidmoly', 'Doodstream', 'Vidoza', 'Streamtape', 'Vidara', 'Vidavaca', 'Luluvdo'];
const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

const body = () => document.getElementById('settings-body');

// the configuration on screen, and what panels keep while the settings are on screen (a new
// key's secret, the connection being changed, the sections open), for building them again in
// another language
let shown = null;
let panelState = {};

// The panels loaded when their section is opened: its heading (shown while closed), its
// module, and its contents built from the module (which loads its texts first).
const SECTIONS = {
  keys: {
    heading: () => t('settings.keys_heading'),
    load: () => import('./keys.js'),
    build: (m) => m.keysPanel(panelState.keys ??= {}),
  },
  connections: {
    heading: () => t('settings.connections_heading'),
    load: () => import('./connections.js'),
    build: (m) => m.connectionsPanel(panelState.connections ??= {}),
  },
  arr: {
    heading: () => t('settings.arr_heading'),
    load: () => import('./arr.js'),
    build: (m, config) => m.arrPanel(config, render),
  },
};
const opened = () => (panelState.open ??= new Set());

function field(id, label, input, hint) {
  input.id = id;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

function check(id, label, checked, { disabled = false, note } = {}) {
  const box = h('input', { type: 'checkbox', id, checked: !!checked, disabled });
  return h('div', {}, h('label', { class: 'check', for: id }, box, label), note ? h('p', { class: 'hint' }, note) : null);
}

const missingNote = () => t('settings.missing_note');

/** The server's rule for a URL setting: http:// or https://, then a host; no spaces. */
const isHttpUrl = (text) => text.length <= 500 && /^https?:\/\/[^/]/.test(text) && !/[\s\p{Cc}]/u.test(text);

/** An input whose value is checked here before saving: its error shows below it. */
function checkedField(id, label, input, hint) {
  const error = h('span', { class: 'form-error', id: `${id}-error`, role: 'alert' });
  const wrap = field(id, label, input, hint);
  wrap.append(error);
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${id}-error`.trim());
  input.addEventListener('input', () => { error.textContent = ''; input.removeAttribute('aria-invalid'); });
  // answers whether the value passed; else shows `message` and puts the cursor there
  const verify = (ok, message) => {
    if (ok) return true;
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return false;
  };
  return { wrap, verify };
}

/**
 * The second site: on/off (applied at once), its address (at the next start) and the pause
 * between its play links. `read()` answers the `provider` fields to save, or null after
 * marking a field the server would refuse.
 */
function stoPanel(p) {
  const has = 'sto_enabled' in p;
  const url = h('input', { type: 'url', value: p.sto_url ?? '', placeholder: 'https://serienstream.to', disabled: !has });
  const pause = h('input', { type: 'number', min: 0, max: 60, step: 1, value: p.sto_pause_seconds ?? 5, disabled: !has });
  const address = checkedField('sto-url', t('settings.sto_url'), url,
    has ? t('settings.sto_url_hint') : missingNote());
  const seconds = checkedField('sto-pause', t('settings.sto_pause'), pause, t('settings.sto_pause_hint'));
  const section = h('section', { class: 'panel', 'aria-labelledby': 'h-sto' },
    h('h2', { id: 'h-sto' }, t('settings.sto_heading')),
    check('sto-enabled', t('settings.sto_enabled'), p.sto_enabled,
      has ? { note: t('settings.applies_at_once') } : { disabled: true, note: missingNote() }),
    address.wrap,
    seconds.wrap);
  const read = () => {
    if (!has) return {};
    const link = url.value.trim();
    const wait = pause.value.trim() === '' ? NaN : Number(pause.value);
    const ok = address.verify(isHttpUrl(link), t('settings.sto_url_invalid'))
      && seconds.verify(Number.isInteger(wait) && wait >= 0 && wait <= 60, t('settings.sto_pause_invalid'));
    if (!ok) return null;
    return { sto_enabled: section.querySelector('#sto-enabled').checked, sto_url: link, sto_pause_seconds: wait };
  };
  return { section, read };
}

function form(config) {
  const s = config.scheduler || {};
  const d = config.downloads || {};
  const p = config.provider || {};
  const hasAuto = 'auto_download' in s;
  const hasAdaptive = 'adaptive_hoster_order' in d;
  const hasFlare = 'flaresolverr_url' in p;
  const sto = stoPanel(p);
  // each language named in the chosen language; its id stays the API value
  const languages = orderList('languages', t('settings.preferred_languages'), d.preferred_languages || [], LANGUAGES, languageName);
  const hosters = orderList('hosters', t('settings.hoster_order'), d.preferred_hosters || [], HOSTERS);
  const level = h('select', {}, LEVELS.map((l) => h('option', { value: l, selected: l === (config.logging || {}).level }, l)));
  const save = h('button', { type: 'submit', id: 'settings-save' }, t('settings.save'));
  const el = h('form', { id: 'settings-form', novalidate: true },
    h('div', { class: 'grid2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-sched' },
        h('h2', { id: 'h-sched' }, t('settings.scheduler')),
        check('sched-enabled', t('settings.sched_enabled'), s.enabled),
        field('sched-interval', t('settings.sched_interval'), h('input', { type: 'number', min: 1, max: 10080, value: s.interval_minutes ?? 60, required: true })),
        check('sched-auto', t('settings.sched_auto'), s.auto_download,
          hasAuto ? {} : { disabled: true, note: missingNote() })),
      h('section', { class: 'panel', 'aria-labelledby': 'h-dl' },
        h('h2', { id: 'h-dl' }, t('settings.downloads')),
        field('parallel', t('settings.parallel'), h('input', { type: 'number', min: 1, max: 8, value: d.parallel_downloads ?? 1 })),
        field('bandwidth', t('settings.bandwidth'), h('input', { type: 'number', min: 1, value: d.bandwidth_limit_kbps ?? '', placeholder: t('settings.no_limit') }), t('settings.bandwidth_hint')),
        h('h3', {}, t('settings.preferred_languages')),
        h('p', { class: 'hint' }, t('settings.languages_hint')),
        languages),
      h('section', { class: 'panel', 'aria-labelledby': 'h-hosters' },
        h('h2', { id: 'h-hosters' }, t('settings.hosters')),
        h('p', { class: 'hint' }, t('settings.hosters_hint')),
        hosters,
        check('adaptive', t('settings.adaptive'), d.adaptive_hoster_order,
          hasAdaptive ? {} : { disabled: true, note: missingNote() })),
      h('section', { class: 'panel', 'aria-labelledby': 'h-provider' },
        h('h2', { id: 'h-provider' }, t('settings.catalogue_and_logging')),
        field('flaresolverr', t('settings.flaresolverr_url'), h('input', { type: 'url', value: p.flaresolverr_url ?? '', placeholder: 'http://127.0.0.1:8191', disabled: !hasFlare }),
          hasFlare ? t('settings.flaresolverr_hint') : missingNote()),
        field('log-level', t('settings.log_level'), level)),
      sto.section),
    h('div', { class: 'row' }, save));
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = (id) => el.querySelector(`#${id}`).value.trim();
    const ticked = (id) => el.querySelector(`#${id}`).checked;
    const stoFields = sto.read();
    if (!stoFields) return;
    const patch = {
      scheduler: { enabled: ticked('sched-enabled'), interval_minutes: Number(value('sched-interval')) },
      downloads: {
        preferred_languages: chosenOf(languages),
        preferred_hosters: chosenOf(hosters),
        parallel_downloads: Number(value('parallel')),
        bandwidth_limit_kbps: value('bandwidth') ? Number(value('bandwidth')) : null,
      },
      logging: { level: level.value },
    };
    if (hasAuto) patch.scheduler.auto_download = ticked('sched-auto');
    if (hasAdaptive) patch.downloads.adaptive_hoster_order = ticked('adaptive');
    patch.provider = { ...stoFields };
    if (hasFlare) patch.provider.flaresolverr_url = value('flaresolverr') || null;
    busy(save, async () => {
      const updated = await put('/api/config', patch);
      notify(t('settings.saved'), 'ok');
      render(updated);
    });
  });
  return el;
}

/**
 * The section of the panel `name` (`#settings-<name>`): its heading, and its contents loaded
 * when it is opened (at once when it was open), with `kept` (a `draft()`) put back into them,
 * scrolled to once shown when it is `reveal`ed. It has `data-ready` once they are shown; a
 * module that failed to load is asked for again when the section is opened again.
 */
function section(name, config, kept, reveal) {
  const { heading, load, build } = SECTIONS[name];
  const content = h('div', {});
  const el = h('details', { class: 'panel', id: `settings-${name}`, 'aria-labelledby': `h-${name}` },
    h('summary', {}, h('h2', { id: `h-${name}` }, heading())), content);
  let started = false;
  const show = async () => {
    if (started) return;
    started = true;
    fill(content, h('p', { class: 'empty' }, t('common.loading')));
    try {
      const module = await load();
      if (!el.isConnected) return;
      fill(content, await build(module, config));
      if (kept) restore(kept, content);
      el.dataset.ready = name;
      if (reveal) el.scrollIntoView();
    } catch (e) {
      started = false;
      fill(content, h('p', { class: 'form-error' }, errorText(e)));
    }
  };
  el.addEventListener('toggle', () => {
    if (el.open) {
      opened().add(name);
      show();
    } else opened().delete(name);
  });
  if (opened().has(name)) {
    el.open = true;
    show();
  }
  return el;
}

function render(config, kept = null, reveal = null) {
  shown = config;
  setStoEnabled(!!(config.provider || {}).sto_enabled);
  fill(body(), form(config), directoryPanel(config), backupsPanel(render),
    Object.keys(SECTIONS).map((name) => section(name, config, kept, name === reveal)));
  document.body.dataset.ready = 'settings';
}

/** Whether the settings form is on screen. */
const onScreen = () => !document.getElementById('view-settings')?.hidden && !!body()?.querySelector('#settings-form');

/** What is typed, ticked and put in order but not saved: [id, value or checked, order]. */
const draft = () => [...body().querySelectorAll('input[id], select[id], textarea[id], ol.order[id]')]
  .filter((el) => !el.closest('ol.order li'))
  .map((el) => [el.id, el.type === 'checkbox' ? el.checked : el.value, el.tagName === 'OL' && [...el.children]]);

/**
 * Puts a `draft()` back into `root`, in document order (a connection kind's fields follow its
 * choice).
 */
function restore(kept, root = body()) {
  for (const [id, value, items] of kept) {
    const el = root.querySelector(`#${CSS.escape(id)}`);
    if (!el || el.disabled) continue;
    if (items) {
      // an order list: the items in that order, ticked as they were
      for (const old of items) {
        const li = el.querySelector(`:scope > li[data-id="${CSS.escape(old.dataset.id)}"]`);
        if (li) { el.append(li); li.querySelector('input').checked = old.querySelector('input').checked; }
      }
    } else if (typeof value === 'boolean') el.checked = value;
    else if (el.value !== value) {
      el.value = value;
      if (el.tagName === 'SELECT') el.dispatchEvent(new Event('change'));
    }
  }
}

/**
 * Builds the settings again from `config`, keeping what was typed but not saved (put back
 * into the sections loaded on demand when they are shown); the section `reveal` is scrolled to.
 */
function renderKeeping(config, reveal) {
  const kept = onScreen() ? draft() : null;
  render(config, kept, reveal);
  if (kept) restore(kept);
}

/** Shows the settings as the server has them now, with the section `open` opened (`keys`, ...). */
export async function showSettings(open) {
  try {
    const [config] = await Promise.all([get('/api/config'), useTexts('settings')]);
    const deep = Object.hasOwn(SECTIONS, open ?? '');
    if (deep) opened().add(open);
    renderKeeping(config, deep ? open : null);
  } catch (e) {
    fill(body(), h('p', { class: 'form-error' }, errorText(e)));
  }
}

// another language: the settings on screen are built again in it
document.addEventListener('localechange', () => {
  if (document.getElementById('view-settings')?.hidden !== false) return;
  if (shown && onScreen()) renderKeeping(shown);
  else showSettings();
});

// leaving the settings forgets what the panels kept (a new key's secret)
window.addEventListener('hashchange', () => {
  if (!location.hash.startsWith('#settings')) panelState = {};
});
