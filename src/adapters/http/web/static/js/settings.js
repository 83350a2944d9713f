// The settings view (#settings): scheduler, downloads (languages and hosters in order),
// FlareSolverr, log level, the second site s.to; saved as one partial `PUT /api/config`.
// Fields the server does not have yet (an older server) are shown disabled with a note.
// Backups and the anime directory are in `backups.js`, API keys in `keys.js`, how to add the
// product to Sonarr in `arr.js`.

import { get, put } from './api.js';
import { busy, errorText, fill, h, notify } from './ui.js';
import { chosenOf, orderList } from './order.js';
import { backupsPanel, directoryPanel } from './backups.js';
import { keysPanel } from './keys.js';
import { arrPanel } from './arr.js';
import { connectionsPanel } from './connections.js';
import { setStoEnabled } from './sites.js';

const LANGUAGES = ['German Dub', 'German Sub', 'English Sub', 'English Dub'];
const HOSTERS = ['VOE', 'Filemoon', 'Vidmoly', 'Doodstream', 'Vidoza', 'Streamtape', 'Vidara', 'Vidavaca', 'Luluvdo'];
const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

const body = () => document.getElementById('settings-body');

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

const missingNote = 'This server does not offer this setting yet.';

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
  const address = checkedField('sto-url', 's.to address', url,
    has ? 'Applies at the next start; a --sto-url flag wins.' : missingNote);
  const seconds = checkedField('sto-pause', 'Seconds between s.to play links', pause,
    'From 0 to 60: s.to challenges clients that open many in a row.');
  const section = h('section', { class: 'panel', 'aria-labelledby': 'h-sto' },
    h('h2', { id: 'h-sto' }, 's.to (TV series)'),
    check('sto-enabled', 'Search and download from s.to too', p.sto_enabled,
      has ? { note: 'Applies at once.' } : { disabled: true, note: missingNote }),
    address.wrap,
    seconds.wrap);
  const read = () => {
    if (!has) return {};
    const link = url.value.trim();
    const wait = pause.value.trim() === '' ? NaN : Number(pause.value);
    const ok = address.verify(isHttpUrl(link), 'Enter an http:// or https:// address, e.g. https://serienstream.to')
      && seconds.verify(Number.isInteger(wait) && wait >= 0 && wait <= 60, 'Enter a whole number from 0 to 60.');
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
  const languages = orderList('languages', 'Preferred languages', d.preferred_languages || [], LANGUAGES);
  const hosters = orderList('hosters', 'Hoster order', d.preferred_hosters || [], HOSTERS);
  const level = h('select', {}, LEVELS.map((l) => h('option', { value: l, selected: l === (config.logging || {}).level }, l)));
  const save = h('button', { type: 'submit', id: 'settings-save' }, 'Save settings');
  const el = h('form', { id: 'settings-form', novalidate: true },
    h('div', { class: 'grid2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-sched' },
        h('h2', { id: 'h-sched' }, 'Scheduler'),
        check('sched-enabled', 'Rescan the library on a schedule', s.enabled),
        field('sched-interval', 'Minutes between rescans', h('input', { type: 'number', min: 1, max: 10080, value: s.interval_minutes ?? 60, required: true })),
        check('sched-auto', 'Download missing episodes automatically', s.auto_download,
          hasAuto ? {} : { disabled: true, note: missingNote })),
      h('section', { class: 'panel', 'aria-labelledby': 'h-dl' },
        h('h2', { id: 'h-dl' }, 'Downloads'),
        field('parallel', 'Parallel downloads', h('input', { type: 'number', min: 1, max: 8, value: d.parallel_downloads ?? 1 })),
        field('bandwidth', 'Bandwidth limit (KiB/s)', h('input', { type: 'number', min: 1, value: d.bandwidth_limit_kbps ?? '', placeholder: 'No limit' }), 'Empty for no limit; shared by all downloads.'),
        h('h3', {}, 'Preferred languages'),
        h('p', { class: 'hint' }, 'Tried in this order; untick a language to skip it.'),
        languages),
      h('section', { class: 'panel', 'aria-labelledby': 'h-hosters' },
        h('h2', { id: 'h-hosters' }, 'Hosters'),
        h('p', { class: 'hint' }, 'Tried in this order; untick a hoster to skip it. Drag, or use the arrows.'),
        hosters,
        check('adaptive', 'Adapt the order to how hosters are doing', d.adaptive_hoster_order,
          hasAdaptive ? {} : { disabled: true, note: missingNote })),
      h('section', { class: 'panel', 'aria-labelledby': 'h-provider' },
        h('h2', { id: 'h-provider' }, 'Catalogue and logging'),
        field('flaresolverr', 'FlareSolverr URL', h('input', { type: 'url', value: p.flaresolverr_url ?? '', placeholder: 'http://127.0.0.1:8191', disabled: !hasFlare }),
          hasFlare ? 'Solves browser challenges; empty to do without.' : missingNote),
        field('log-level', 'Log level', level)),
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
      notify('Settings saved.', 'ok');
      render(updated);
    });
  });
  return el;
}

function render(config) {
  setStoEnabled(!!(config.provider || {}).sto_enabled);
  fill(body(), form(config), directoryPanel(config), backupsPanel(render), keysPanel(), connectionsPanel(), arrPanel(config, render));
  document.body.dataset.ready = 'settings';
}

/** Shows the settings as the server has them now. */
export async function showSettings() {
  try {
    render(await get('/api/config'));
  } catch (e) {
    fill(body(), h('p', { class: 'form-error' }, errorText(e)));
  }
}
