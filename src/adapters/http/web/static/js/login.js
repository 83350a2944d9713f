// /login: the master password and "remember me". A configured server without a valid
// token lands here; an unconfigured one goes on to /setup.

import { api, clearToken, safeNext, saveToken, token } from './api.js';
import { errorText, notify } from './ui.js';
import { bindLanguageSwitch, t, translatePage } from './i18n.js';

translatePage();
bindLanguageSwitch();

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const submit = document.getElementById('login-submit');
const next = safeNext(new URLSearchParams(location.search).get('next'));

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

async function start() {
  try {
    const sent = token();
    const status = await api('GET', '/api/auth/status', undefined, { on401: 'throw' });
    if (!status.configured) { location.replace('/setup'); return; }
    if (status.authenticated) { location.replace(next); return; }
    // a token saved meanwhile (another tab logged in) is not the one the server refused
    if (token() === sent) clearToken();
  } catch (e) {
    notify(errorText(e), 'error');
  }
  if (sessionStorage.getItem('aniworld.setupDone')) {
    sessionStorage.removeItem('aniworld.setupDone');
    notify(t('login.password_set'), 'ok');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = form.password.value;
  if (!password) { showError(t('login.enter_password')); form.password.focus(); return; }
  showError('');
  submit.disabled = true;
  try {
    const login = await api('POST', '/api/auth/login', { password, remember: form.remember.checked }, { on401: 'throw' });
    saveToken(login, form.remember.checked);
    location.assign(next);
  } catch (e) {
    showError(errorText(e));
    form.password.select();
  } finally {
    submit.disabled = false;
  }
});

start();
