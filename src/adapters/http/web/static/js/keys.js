// The settings panel for API keys (INTEGRATIONS.md section 1), which programs such as Sonarr
// use instead of the master password: the keys (never their secrets), a form to make one
// whose secret is shown this once to copy, and revoking one after a Yes/No step in its row.
// The server checks a new key; what it refuses shows below the field it names.

import { ApiError, del, get, post } from './api.js';
import { busy, errorText, fill, formatTime, h, notify } from './ui.js';

const SCOPES = {
  read: 'read: library, queue, health',
  download: 'download: Torznab, qBittorrent API (Sonarr, Prowlarr)',
  admin: 'admin: everything',
};
const EMPTY = 'No API keys yet. Programs such as Sonarr, Prowlarr or a dashboard use one instead of your password.';

const orNever = (at) => (at ? formatTime(at) : 'never');

/** A key's row: its name and dates, and Revoke, which asks "Revoke? Yes / No" in place. */
function row(key, reload) {
  const revoke = h('button', { type: 'button', class: 'danger small', 'aria-label': `Revoke ${key.name}` }, 'Revoke');
  const actions = h('div', { class: 'row' }, revoke);
  const keep = () => { fill(actions, revoke); revoke.focus(); };
  revoke.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger small', 'aria-label': `Yes, revoke ${key.name}` }, 'Yes');
    const no = h('button', { type: 'button', class: 'ghost small', 'aria-label': `No, keep ${key.name}` }, 'No');
    yes.addEventListener('click', () => busy(yes, async () => {
      await del(`/api/keys/${encodeURIComponent(key.id)}`);
      notify(`Revoked ${key.name}.`, 'ok');
      await reload();
    }));
    no.addEventListener('click', keep);
    fill(actions, h('span', {}, 'Revoke?'), yes, no);
    no.focus();
  });
  actions.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !actions.contains(revoke)) keep(); });
  return h('li', { class: 'card', dataset: { id: key.id } },
    h('div', { class: 'what' }, h('strong', {}, key.name),
      h('span', { class: 'meta' }, `Scopes: ${key.scopes.join(', ')} · created ${formatTime(key.created_at)}`,
        ` · expires ${orNever(key.expires_at)} · last used ${orNever(key.last_used_at)}`)),
    actions);
}

/** The box with a new key's secret and its Copy button. */
function secretBox(made) {
  const value = h('code', { id: 'key-secret-value', tabindex: 0 }, made.key);
  const copy = h('button', { type: 'button', class: 'small' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      // absent where the page is not a secure context (plain http on the LAN)
      await navigator.clipboard.writeText(made.key);
      notify('Key copied.', 'ok');
    } catch {
      getSelection().selectAllChildren(value);
      value.focus();
      notify('The key is selected: press Ctrl+C to copy it.');
    }
  });
  return [h('p', {}, h('strong', {}, `New key “${made.name}”. Copy it now: it will not be shown again.`)),
    h('div', { class: 'row' }, value, copy)];
}

/** An error line for a form field, shown below it. */
const fieldError = (field) => h('span', { class: 'form-error', id: `key-${field}-error`, role: 'alert' });

/** The panel: the list and the form to make a key. */
export function keysPanel() {
  const list = h('ul', { class: 'plain', id: 'key-list' });
  const reload = async () => {
    try {
      const keys = await get('/api/keys');
      fill(list, keys.length ? keys.map((k) => row(k, reload)) : h('li', { class: 'empty' }, EMPTY));
    } catch (e) {
      fill(list, h('li', { class: 'form-error' }, errorText(e)));
    }
  };
  const errors = { name: fieldError('name'), scopes: fieldError('scopes'), expires_at: fieldError('expires_at') };
  const name = h('input', { type: 'text', id: 'key-name', maxlength: 100, placeholder: 'Sonarr', 'aria-describedby': 'key-name-error' });
  const boxes = Object.entries(SCOPES).map(([scope, label]) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', value: scope, id: `key-scope-${scope}` }), label));
  const scopes = h('fieldset', { id: 'key-scopes', 'aria-describedby': 'key-scopes-error' }, h('legend', {}, 'Scopes'), boxes, errors.scopes);
  const expires = h('input', { type: 'date', id: 'key-expires', 'aria-describedby': 'key-expires-hint key-expires_at-error' });
  const inputs = { name, scopes, expires_at: expires };
  const secret = h('div', { class: 'warning', id: 'key-secret', role: 'status', hidden: true });
  const create = h('button', { type: 'submit', id: 'key-create' }, 'Create key');
  const form = h('form', { id: 'key-form', novalidate: true },
    h('h3', {}, 'New key'),
    h('div', { class: 'field' }, h('label', { for: 'key-name' }, 'Name'), name, errors.name),
    scopes,
    h('div', { class: 'field' }, h('label', { for: 'key-expires' }, 'Expires (optional)'), expires,
      h('span', { class: 'hint', id: 'key-expires-hint' }, 'It stops working at the end of that day; empty for never.'), errors.expires_at),
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
        fill(secret, secretBox(made));
        secret.hidden = false;
        form.reset();
        await reload();
      } catch (err) {
        const field = err instanceof ApiError && err.status === 422 && err.body?.details?.field;
        if (!errors[field]) throw err;
        // "scopes: name one or more of …" → "Name one or more of …"
        const text = err.message.replace(/^\w+: /, '');
        errors[field].textContent = text.charAt(0).toUpperCase() + text.slice(1);
        inputs[field].setAttribute('aria-invalid', 'true');
        (field === 'scopes' ? boxes[0].firstChild : inputs[field]).focus();
      }
    });
  });
  reload();
  return h('section', { class: 'panel', 'aria-labelledby': 'h-keys' },
    h('h2', { id: 'h-keys' }, 'API keys'),
    h('p', { class: 'hint' }, 'Programs send a key as the X-Api-Key header.'),
    list, secret, form);
}
