// The settings panel for connections (INTEGRATIONS.md section 5): the notification services
// and media servers told of what happened. Each with its events, its last send or error, a
// Test that shows the remote's answer, Edit and Delete (after "Delete? Yes / No"). The form's
// fields follow the kind; a secret shows as ******** and is kept when left so. Loaded when its
// section of the settings is opened, with its texts (the `connections` part).

import { ApiError, del, get, post, put } from './api.js';
import { busy, errorText, fill, formatTime, h, notify } from './ui.js';
import { apiErrorText, t, useTexts } from './i18n.js';

// the events a connection is told of (API values), each with its catalogue key
const EVENTS = ['grab', 'download', 'failure', 'health'];
const eventName = (e) => (EVENTS.includes(e) ? t(`connections.event_${e}`) : e);
// per kind (product names, shown as they are): [setting, label key, type]
// (type: text, secret, number, select:<a>|<b>, mappings)
const KINDS = {
  webhook: [['url', 'url', 'text'], ['method', 'method', 'select:POST|PUT'], ['username', 'user_name', 'text'], ['password', 'password', 'secret']],
  ntfy: [['server', 'server', 'text'], ['topic', 'topic', 'text'], ['token', 'token', 'secret'], ['priority', 'priority_1_5', 'number']],
  discord: [['webhook_url', 'webhook_url', 'secret'], ['username', 'bot_name', 'text']],
  apprise: [['server', 'server', 'text'], ['key', 'key', 'text']],
  telegram: [['bot_token', 'bot_token', 'secret'], ['chat_id', 'chat_id', 'text'], ['api_base', 'api_base', 'text']],
  gotify: [['server', 'server', 'text'], ['token', 'app_token', 'secret'], ['priority', 'priority', 'number']],
  jellyfin: [['server', 'server', 'text'], ['api_key', 'api_key', 'secret'], ['path_mappings', 'path_mappings', 'mappings']],
  emby: [['server', 'server', 'text'], ['api_key', 'api_key', 'secret'], ['path_mappings', 'path_mappings', 'mappings']],
  plex: [['server', 'server', 'text'], ['token', 'token', 'secret'], ['path_mappings', 'path_mappings', 'mappings']],
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
  return h('div', { class: 'field' }, h('label', { for: id }, t(`connections.field_${label}`)), input);
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
  const events = EVENTS.map((e) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: e, id: `conn-event-${e}`, checked: editing ? editing.events.includes(e) : e === 'download' }), eventName(e)));
  const enabled = h('input', { type: 'checkbox', id: 'conn-enabled', checked: editing ? editing.enabled : true });
  const save = h('button', { type: 'submit', id: 'conn-save' }, editing ? t('connections.save') : t('connections.add'));
  const form = h('form', { id: 'conn-form', novalidate: true },
    h('h3', {}, editing ? t('connections.change_heading', { name: editing.name }) : t('connections.new')),
    h('div', { class: 'field' }, h('label', { for: 'conn-name' }, t('connections.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'conn-kind' }, t('connections.kind')), kind),
    fields,
    h('fieldset', { id: 'conn-events' }, h('legend', {}, t('connections.tell_it_of')), events),
    h('label', { class: 'check' }, enabled, t('connections.enabled')),
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
        notify(editing ? t('connections.saved') : t('connections.added'), 'ok');
        await reload(true);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 422) throw err;
        error.textContent = apiErrorText(err.body?.error, err.message);
      }
    });
  });
  return form;
}

function row(c, reload, edit) {
  const outcome = h('span', { class: 'meta conn-outcome', role: 'status' });
  const test = h('button', { type: 'button', class: 'small', 'aria-label': t('connections.test_label', { name: c.name }) }, t('connections.test'));
  test.addEventListener('click', () => busy(test, async () => {
    try {
      const answer = await post(`/api/connections/${encodeURIComponent(c.id)}/test`, {});
      outcome.textContent = t('connections.test_sent', { answer: answer.answer });
    } catch (err) {
      outcome.textContent = t('connections.test_failed', { error: errorText(err) });
    }
  }));
  const change = h('button', { type: 'button', class: 'ghost small', 'aria-label': t('connections.change_label', { name: c.name }) }, t('connections.change'));
  change.addEventListener('click', () => edit(c));
  const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': t('connections.delete_label', { name: c.name }) }, t('connections.delete'));
  const actions = h('div', { class: 'row' }, test, change, remove);
  remove.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger small' }, t('common.yes'));
    const no = h('button', { type: 'button', class: 'ghost small' }, t('common.no'));
    yes.addEventListener('click', () => busy(yes, async () => { await del(`/api/connections/${encodeURIComponent(c.id)}`); await reload(true); }));
    no.addEventListener('click', () => fill(actions, test, change, remove));
    fill(actions, h('span', {}, t('connections.delete_question')), yes, no);
  });
  const last = c.last_error ? t('connections.last_error', { error: c.last_error })
    : c.last_sent_at ? t('connections.last_sent', { time: formatTime(c.last_sent_at) }) : t('connections.nothing_sent');
  const kind = c.enabled ? c.kind : t('connections.kind_off', { kind: c.kind });
  return h('li', { class: 'card', dataset: { id: c.id } },
    h('div', { class: 'what' }, h('strong', {}, c.name),
      h('span', { class: 'meta' }, `${kind} · ${c.events.map(eventName).join(', ') || t('connections.no_events')} · ${last}`),
      outcome),
    actions);
}

/**
 * The panel's contents (its section and heading are the settings'), once its texts are there.
 * `state` outlives the panel while the settings are on screen: the connection being changed
 * stays in the form when the panel is built again (in another language, say).
 */
export async function connectionsPanel(state = {}) {
  await useTexts('connections');
  const list = h('ul', { class: 'plain', id: 'conn-list' });
  const formBox = h('div', { id: 'conn-form-box' });
  const edit = (c) => { state.editing = c; fill(formBox, connectionForm(reload, c)); };
  // `reset`: after a save or delete, the form starts empty again
  async function reload(reset = false) {
    if (reset) edit(null);
    try {
      const all = await get('/api/connections');
      fill(list, all.length ? all.map((c) => row(c, reload, edit))
        : h('li', { class: 'empty' }, t('connections.empty')));
    } catch (e) {
      fill(list, h('li', { class: 'form-error' }, errorText(e)));
    }
  }
  edit(state.editing || null);
  reload();
  return [h('p', { class: 'hint' }, t('connections.hint')), list, formBox];
}
