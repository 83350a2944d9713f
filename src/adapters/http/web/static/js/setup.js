// /setup: the master password (with live hints for the policy and a confirmation) and the
// anime directory. Once a password is set this page sends the user on to /login.

import { api } from './api.js';
import { errorText, notify } from './ui.js';
import { bindLanguageSwitch, t, translatePage } from './i18n.js';

translatePage();
bindLanguageSwitch();

const form = document.getElementById('setup-form');
const error = document.getElementById('setup-error');
const submit = document.getElementById('setup-submit');
const confirmHint = document.getElementById('confirm-hint');

// The same rules as the server's policy (domain::auth::Password::check_policy).
const RULES = {
  length: (p) => [...p].length >= 8,
  lower: (p) => /\p{Ll}/u.test(p),
  upper: (p) => /\p{Lu}/u.test(p),
  digit: (p) => /[0-9]/.test(p),
  special: (p) => /[^\p{L}\p{N}\s]/u.test(p),
};

function check() {
  const password = form.password.value;
  let ok = true;
  for (const li of document.querySelectorAll('#policy li')) {
    const met = RULES[li.dataset.rule](password);
    li.classList.toggle('met', met);
    ok = ok && met;
  }
  const confirm = form.confirm.value;
  confirmHint.textContent = confirm && confirm !== password ? t('setup.mismatch') : '';
  return ok && confirm === password;
}

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

form.password.addEventListener('input', check);
form.confirm.addEventListener('input', check);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!check()) {
    showError(form.confirm.value !== form.password.value
      ? t('setup.mismatch')
      : t('setup.rules_unmet'));
    return;
  }
  showError('');
  submit.disabled = true;
  const body = { master_password: form.password.value };
  const dir = form.anime_directory.value.trim();
  if (dir) body.anime_directory = dir;
  try {
    await api('POST', '/api/auth/setup', body, { on401: 'throw' });
    sessionStorage.setItem('aniworld.setupDone', '1');
    location.assign('/login');
  } catch (e) {
    showError(errorText(e));
  } finally {
    submit.disabled = false;
  }
});

api('GET', '/api/auth/status', undefined, { on401: 'throw' })
  .then((s) => { if (s.configured) location.replace('/login'); })
  .catch((e) => notify(errorText(e), 'error'));
check();
