// Small DOM helpers shared by every page: element building, notices, the header's logout
// and connection state, busy buttons, and number formatting.

import { ApiError, clearToken, post } from './api.js';
import { apiErrorText, bindLanguageSwitch, formatDuration, formatMb as mb, formatTime as time, t, translatePage } from './i18n.js';

/** Builds an element: h('button', { class: 'x', onclick: f }, 'Text', child). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** The text to show for a failure: the API's message, with its lines about each field. */
export function errorText(e) {
  if (!(e instanceof ApiError)) return (e && e.message) || String(e);
  const lines = e.body && e.body.details && e.body.details.messages;
  const message = Array.isArray(lines) && lines.length ? `${e.message}: ${lines.join('; ')}` : e.message;
  return e.body && e.body.error ? apiErrorText(e.body.error, message) : message;
}

/** Shows a notice: kind 'info', 'ok' or 'error'. Errors stay until dismissed. */
export function notify(message, kind = 'info') {
  const area = document.getElementById('notices');
  if (!area) return;
  const close = h('button', { type: 'button', class: 'ghost small', 'aria-label': t('common.dismiss') }, '×');
  const notice = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', {}, message), close);
  close.addEventListener('click', () => notice.remove());
  area.append(notice);
  while (area.children.length > 5) area.firstElementChild.remove();
  if (kind !== 'error') setTimeout(() => notice.remove(), 6000);
}

/** Runs `work` with the button disabled; a failure becomes an error notice. */
export async function busy(button, work) {
  if (button) button.disabled = true;
  try {
    return await work();
  } catch (e) {
    notify(errorText(e), 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** The header: the page's texts in the chosen language, its switch, the logout button. */
export function initChrome() {
  translatePage();
  bindLanguageSwitch();
  document.addEventListener('localechange', () => {
    const badge = document.getElementById('live');
    if (badge) setLive(badge.dataset.on === '1');
  });
  const logout = document.getElementById('logout');
  logout?.addEventListener('click', async () => {
    logout.disabled = true;
    try { await post('/api/auth/logout'); } catch { /* the token goes either way */ }
    clearToken();
    location.assign('/login');
  });
}

/** Shows whether the live connection is up. */
export function setLive(on) {
  const badge = document.getElementById('live');
  if (!badge) return;
  badge.classList.toggle('on', on);
  badge.textContent = on ? t('common.live') : t('nav.offline');
  badge.dataset.on = on ? '1' : '';
}

export const episodeCode = (season, episode) =>
  `S${String(season).padStart(2, '0')}E${String(episode).padStart(2, '0')}`;

/** A size in MB, for the chosen language (`1,5 GB`). */
export const formatMb = (value) => mb(value);

/** Seconds left, for the chosen language. */
export const formatEta = (seconds) => formatDuration(seconds);

/** A date and time, for the chosen language. */
export const formatTime = (iso) => time(iso);
