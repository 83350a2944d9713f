// The settings panel for API keys (INTEGRATIONS.md section 1), which programs such as Sonarr
// use instead of the master password: the keys (never their secrets), a form to make one
// whose secret is shown this once to copy, and revoking one after a Yes/No step in its row.
// The server checks a new key; what it refuses shows below the field it names. Loaded when
// its section of the settings is opened, with its texts (the `keys` part).

import { ApiError, del, get, post } from './api.js';
import { busy, errorText, fill, formatTime, h, notify } from './ui.js';
import { t, useTexts } from './i18n.js';

// the scopes are API values, shown as they are; what each allows is text
const SCOPES = ['read', 'download', 'admin'];
const scopeLabel = (scope) => `${scope}: ${t(`keys.scope_${scope}`)}`;

// the server's refusals of a new key (after "<field>: "), as the catalogue words them
const REFUSALS = {
  'must be 1 to 100 characters': 'keys.error_name',
  'name one or more of read, download, admin': 'keys.error_scopes',
  'must lie in the future': 'keys.error_expiry',
};

/** "Scopes: read · created … · expires … · last used …" */
function meta(key) {
  return [
    t('keys.meta', { scopes: key.scopes.join(', '), created: formatTime(key.created_at) }),
    key.expires_at ? t('keys.expires', { time: formatTime(key.expires_at) }) : t('keys.expires_never'),
    key.last_used_at ? t('keys.last_used', { time: formatTime(key.last_used_at) }) : t('keys.last_used_never'),
  ].join(' · ');
}

/** A key's row: its name and dates, and Revoke, which asks "Revoke? Yes / No" in place. */
function row(key, reload) {
  const revoke = h('button', { type: 'button', class: 'danger small', 'aria-label': t('keys.revoke_label', { name: key.name }) }, t('keys.revoke'));
  const actions = h('div', { class: 'row' }, revoke);
  const keep = () => { fill(actions, revoke); revoke.focus(); };
  revoke.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger small', 'aria-label': t('keys.revoke_yes_label', { name: key.name }) }, t('common.yes'));
    const no = h('button', { type: 'button', class: 'ghost small', 'aria-label': t('keys.revoke_no_label', { name: key.name }) }, t('common.no'));
    yes.addEventListener('click', () => busy(yes, async () => {
      await del(`/api/keys/${encodeURIComponent(key.id)}`);
      notify(t('keys.revoked', { name: key.name }), 'ok');
      await reload();
    }));
    no.addEventListener('click', keep);
    fill(actions, h('span', {}, t('keys.revoke_question')), yes, no);
    no.focus();
  });
  actions.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !actions.contains(revoke)) keep(); });
  return h('li', { class: 'card', dataset: { id: key.id } },
    h('div', { class: 'what' }, h('strong', {}, key.name), h('span', { class: 'meta' }, meta(key))),
    actions);
}

/** The box with a new key's secret and its Copy button. */
function secretBox(made) {
  const value = h('code', { id: 'key-secret-value', tabindex: 0 }, made.key);
  const copy = h('button', { type: 'button', class: 'small' }, t('keys.copy'));
  copy.addEventListener('click', async () => {
    try {
      // absent where the page is not a secure context (plain http on the LAN)
      await navigator.clipboard.writeText(made.key);
      notify(t('keys.copied'), 'ok');
    } catch {
      getSelection().selectAllChildren(value);
      value.focus();
      notify(t('keys.selected'));
    }
  });
  return [h('p', {}, h('strong', {}, t('keys.shown_once', { name: made.name }))),
    h('div', { class: 'row' }, value, copy)];
}

/** An error line for a form field, shown below it. */
const fieldError = (field) => h('span', { class: 'form-error', id: `key-${field}-error`, role: 'alert' });

/**
 * The panel's contents (its section and heading are the settings'): the list and the form to
 * make a key, once its texts are there. `state` outlives the panel while the settings are on
 * screen: a new key's secret stays shown when the panel is built again (in another language,
 * say).
 */
export async function keysPanel(state = {}) {
  await useTexts('keys');
  const list = h('ul', { class: 'plain', id: 'key-list' });
  const reload = async () => {
    try {
      const keys = await get('/api/keys');
      fill(list, keys.length ? keys.map((k) => row(k, reload)) : h('li', { class: 'empty' }, t('keys.empty')));
    } catch (e) {
      fill(list, h('li', { class: 'form-error' }, errorText(e)));
    }
  };
  const errors = { name: fieldError('name'), scopes: fieldError('scopes'), expires_at: fieldError('expires_at') };
  const name = h('input', { type: 'text', id: 'key-name', maxlength: 100, placeholder: 'Sonarr', 'aria-describedby': 'key-name-error' });
  const boxes = SCOPES.map((scope) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', value: scope, id: `key-scope-${scope}` }), scopeLabel(scope)));
  const scopes = h('fieldset', { id: 'key-scopes', 'aria-describedby': 'key-scopes-error' }, h('legend', {}, t('keys.scopes')), boxes, errors.scopes);
  const expires = h('input', { type: 'date', id: 'key-expires', 'aria-describedby': 'key-expires-hint key-expires_at-error' });
  const inputs = { name, scopes, expires_at: expires };
  const secret = h('div', { class: 'warning', id: 'key-secret', role: 'status', hidden: true });
  const showSecret = (made) => {
    fill(secret, secretBox(made));
    secret.hidden = false;
  };
  if (state.made) showSecret(state.made);
  const create = h('button', { type: 'submit', id: 'key-create' }, t('keys.create'));
  const form = h('form', { id: 'key-form', novalidate: true },
    h('h3', {}, t('keys.new_key')),
    h('div', { class: 'field' }, h('label', { for: 'key-name' }, t('keys.name')), name, errors.name),
    scopes,
    h('div', { class: 'field' }, h('label', { for: 'key-expires' }, t('keys.expires_optional')), expires,
      h('span', { class: 'hint', id: 'key-expires-hint' }, t('keys.expires_hint')), errors.expires_at),
    create);
  const clear = () => {
    for (const [field, error] of Object.entries(errors)) { error.textContent = ''; inputs[field].removeAttribute('aria-invalid'); }
  };
  form.addEventListener('input', clear);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear();
    const body = { name: name.value.trim(), scopes: boxes.map((l) => l.firstChild).filter((b) => b.checked).map((b) => b.value) };
    // the end of the chosen day, in the browser's time zone
    if (expires.value) body.expires_at = new Date(`${expires.value}T23:59:59`).toISOString();
    busy(create, async () => {
      try {
        const made = await post('/api/keys', body);
        state.made = made;
        showSecret(made);
        form.reset();
        await reload();
      } catch (err) {
        const field = err instanceof ApiError && err.status === 422 && err.body?.details?.field;
        if (!errors[field]) throw err;
        // "scopes: name one or more of …" → "Name one or more of …"
        const text = err.message.replace(/^\w+: /, '');
        errors[field].textContent = REFUSALS[text] ? t(REFUSALS[text]) : text.charAt(0).toUpperCase() + text.slice(1);
        inputs[field].setAttribute('aria-invalid', 'true');
        (field === 'scopes' ? boxes[0].firstChild : inputs[field]).focus();
      }
    });
  });
  reload();
  return [h('p', { class: 'hint' }, t('keys.hint')), list, secret, form];
}
