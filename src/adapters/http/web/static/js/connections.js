// The settings panel for connections (INTEGRATIONS.md section 5): the notification services
// and media servers told of what happened. Each with its events, its last send or error, a
// Test that shows the remote's answer, Edit and Delete (after "Delete? Yes / No"). The form's
// fields follow the kind; a secret shows as ******** and is kept when left so.

import { ApiError, del, get, post, put } from './api.js';
import { busy, errorText, fill, formatTime, h, notify } from './ui.js';

const EVENTS = { grab: 'Queued', download: 'Downloaded', failure: 'Failed', health: 'Health changes' };
// per kind: [setting, label, type] (type: text, secret, number, select:<a>|<b>, mappings)
const KINDS = {
  webhook: [['url', 'URL', 'text'], ['method', 'Method', 'select:POST|PUT'], ['username', 'User name', 'text'], ['password', 'Password', 'secret']],
  ntfy: [['server', 'Server', 'text'], ['topic', 'Topic', 'text'], ['token', 'Token', 'secret'], ['priority', 'Priority (1–5)', 'number']],
  discord: [['webhook_url', 'Webhook URL', 'secret'], ['username', 'Bot name', 'text']],
  apprise: [['server', 'Server', 'text'], ['key', 'Key', 'text']],
  telegram: [['bot_token', 'Bot token', 'secret'], ['chat_id', 'Chat id', 'text'], ['api_base', 'API base (optional)', 'text']],
  gotify: [['server', 'Server', 'text'], ['token', 'App token', 'secret'], ['priority', 'Priority', 'number']],
  jellyfin: [['server', 'Server', 'text'], ['api_key', 'API key', 'secret'], ['path_mappings', 'Path mappings', 'mappings']],
  emby: [['server', 'Server', 'text'], ['api_key', 'API key', 'secret'], ['path_mappings', 'Path mappings', 'mappings']],
  plex: [['server', 'Server', 'text'], ['token', 'Token', 'secret'], ['path_mappings', 'Path mappings', 'mappings']],
};

/** "/srv/anime => /media/anime" lines ↔ [{from, to}]. */
const mappingsText = (list) => (list || []).map((m) => `${m.from} => ${m.to}`).join('\n');
const mappingsOf = (text) => text.split('\n').map((l) => l.split('=>').map((p) => p.trim())).filter((p) => p.length === 2 && p[0] && p[1]).map(([from, to]) => ({ from, to }));

function settingInput(kind, [name, label, type], value) {
  const id = `conn-set-${name}`;
  let input;
  if (type.startsWith('select:')) {
    input = h('select', { id }, type.slice(7).split('|').map((o) => h('option', { selected: value === o }, o)));
  } else if (type === 'mappings') {
    input = h('textarea', { id, rows: 2, placeholder: '/srv/anime => /media/anime' }, mappingsText(value));
  } else {
    input = h('input', { id, type: type === 'number' ? 'number' : type === 'secret' ? 'password' : 'text', value: value ?? '', autocomplete: 'off' });
  }
  input.dataset.setting = name;
  input.dataset.type = type;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

function readSettings(box) {
  const settings = {};
  for (const input of box.querySelectorAll('[data-setting]')) {
    const { setting, type } = input.dataset;
    const raw = input.value.trim();
    if (type === 'mappings') { const list = mappingsOf(input.value); if (list.length) settings[setting] = list; continue; }
    if (!raw) continue;
    settings[setting] = type === 'number' ? Number(raw) : raw;
  }
  return settings;
}

/** The form, to add a connection or change `editing`. */
function connectionForm(reload, editing) {
  const error = h('p', { class: 'form-error', id: 'conn-error', role: 'alert' });
  const name = h('input', { type: 'text', id: 'conn-name', maxlength: 100, value: editing?.name ?? '' });
  const kind = h('select', { id: 'conn-kind', disabled: !!editing }, Object.keys(KINDS).map((k) => h('option', { selected: editing?.kind === k }, k)));
  const fields = h('div', { id: 'conn-settings' });
  const showFields = () => fill(fields, KINDS[kind.value].map((f) => settingInput(kind.value, f, editing?.settings?.[f[0]])));
  kind.addEventListener('change', showFields);
  showFields();
  const events = Object.entries(EVENTS).map(([e, label]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: e, id: `conn-event-${e}`, checked: editing ? editing.events.includes(e) : e === 'download' }), label));
  const enabled = h('input', { type: 'checkbox', id: 'conn-enabled', checked: editing ? editing.enabled : true });
  const save = h('button', { type: 'submit', id: 'conn-save' }, editing ? 'Save connection' : 'Add connection');
  const form = h('form', { id: 'conn-form', novalidate: true },
    h('h3', {}, editing ? `Change “${editing.name}”` : 'New connection'),
    h('div', { class: 'field' }, h('label', { for: 'conn-name' }, 'Name'), name),
    h('div', { class: 'field' }, h('label', { for: 'conn-kind' }, 'Kind'), kind),
    fields,
    h('fieldset', { id: 'conn-events' }, h('legend', {}, 'Tell it of'), events),
    h('label', { class: 'check' }, enabled, 'Enabled'),
    error, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    const body = { name: name.value.trim(), kind: kind.value, enabled: enabled.checked,
      events: events.map((l) => l.firstChild).filter((b) => b.checked).map((b) => b.value), settings: readSettings(fields) };
    busy(save, async () => {
      try {
        if (editing) await put(`/api/connections/${encodeURIComponent(editing.id)}`, body);
        else await post('/api/connections', body);
        notify(editing ? 'Connection saved.' : 'Connection added.', 'ok');
        await reload();
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 422) throw err;
        error.textContent = err.message;
      }
    });
  });
  return form;
}

function row(c, reload, edit) {
  const outcome = h('span', { class: 'meta conn-outcome', role: 'status' });
  const test = h('button', { type: 'button', class: 'small', 'aria-label': `Test ${c.name}` }, 'Test');
  test.addEventListener('click', () => busy(test, async () => {
    try {
      const answer = await post(`/api/connections/${encodeURIComponent(c.id)}/test`, {});
      outcome.textContent = `Test sent: ${answer.answer}`;
    } catch (err) {
      outcome.textContent = `Test failed: ${errorText(err)}`;
    }
  }));
  const change = h('button', { type: 'button', class: 'ghost small', 'aria-label': `Change ${c.name}` }, 'Change');
  change.addEventListener('click', () => edit(c));
  const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': `Delete ${c.name}` }, 'Delete');
  const actions = h('div', { class: 'row' }, test, change, remove);
  remove.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger small' }, 'Yes');
    const no = h('button', { type: 'button', class: 'ghost small' }, 'No');
    yes.addEventListener('click', () => busy(yes, async () => { await del(`/api/connections/${encodeURIComponent(c.id)}`); await reload(); }));
    no.addEventListener('click', () => fill(actions, test, change, remove));
    fill(actions, h('span', {}, 'Delete?'), yes, no);
  });
  const last = c.last_error ? `last error: ${c.last_error}` : c.last_sent_at ? `last sent ${formatTime(c.last_sent_at)}` : 'nothing sent yet';
  return h('li', { class: 'card', dataset: { id: c.id } },
    h('div', { class: 'what' }, h('strong', {}, c.name),
      h('span', { class: 'meta' }, `${c.kind}${c.enabled ? '' : ' (off)'} · ${c.events.map((e) => EVENTS[e] || e).join(', ') || 'no events'} · ${last}`),
      outcome),
    actions);
}

/** The panel. */
export function connectionsPanel() {
  const list = h('ul', { class: 'plain', id: 'conn-list' });
  const formBox = h('div', { id: 'conn-form-box' });
  const reload = async () => {
    try {
      const all = await get('/api/connections');
      fill(list, all.length ? all.map((c) => row(c, reload, (c2) => fill(formBox, connectionForm(reload, c2))))
        : h('li', { class: 'empty' }, 'No connections yet: add one to be told when an episode is downloaded.'));
      fill(formBox, connectionForm(reload, null));
    } catch (e) {
      fill(list, h('li', { class: 'form-error' }, errorText(e)));
    }
  };
  reload();
  return h('section', { class: 'panel', 'aria-labelledby': 'h-conn' },
    h('h2', { id: 'h-conn' }, 'Connections'),
    h('p', { class: 'hint' }, 'Notification services and media servers told of downloads, failures and health changes.'),
    list, formBox);
}
