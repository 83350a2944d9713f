// The two catalogue sites, aniworld.to (anime) and s.to (TV series): the badge naming a
// series' site, the search's site switch (both, or one of them; remembered in localStorage;
// s.to offered only while `provider.sto_enabled` is on) and the notice for the sites that
// failed while another answered (the search's `X-Search-Warnings` header).

import { h } from './ui.js';
import { t } from './i18n.js';

const KEY = 'aniworld.site';

/** The badge of a series' site ("aniworld.to" or "s.to"); nothing for an unknown site. */
export function siteBadge(site) {
  if (!site) return null;
  return h('span', { class: site === 's.to' ? 'badge site sto' : 'badge site' }, site);
}

const radios = () => [...document.querySelectorAll('#search-site input[name=site]')];

/** The site the search asks: '' for every enabled site, else 'aniworld.to' or 's.to'. */
export function chosenSite() {
  const checked = radios().find((r) => r.checked);
  return checked ? checked.value : '';
}

function choose(value) {
  const radio = radios().find((r) => r.value === value && !r.disabled) || radios()[0];
  if (radio) radio.checked = true;
}

/** Restores the remembered choice and remembers each new one. */
export function bindSiteSwitch() {
  choose(localStorage.getItem(KEY) || '');
  for (const radio of radios()) {
    radio.addEventListener('change', () => { if (radio.checked) localStorage.setItem(KEY, radio.value); });
  }
}

/**
 * Offers s.to or not. While it is off, its choice is disabled with a title saying where to
 * turn it on, and a remembered s.to choice searches both sites (the memory is kept for when
 * s.to is on again).
 */
export function setStoEnabled(on) {
  const radio = radios().find((r) => r.value === 's.to');
  if (!radio) return;
  radio.disabled = !on;
  const label = radio.closest('label');
  for (const el of [radio, label]) {
    if (on) el.removeAttribute('title');
    else el.setAttribute('title', t('sites.sto_off'));
  }
  choose(localStorage.getItem(KEY) || '');
}

/** The lines of an `X-Search-Warnings` header (a JSON array of strings); [] without one. */
export function searchWarnings(header) {
  if (!header) return [];
  try {
    const lines = JSON.parse(header);
    return Array.isArray(lines) ? lines.map(String) : [String(lines)];
  } catch {
    return [header];
  }
}

/** The notice above incomplete results: one line for each site that failed. */
export function warningNotice(lines) {
  if (!lines.length) return null;
  return h('div', { class: 'warning', id: 'search-warnings', role: 'status' },
    h('p', {}, t('sites.incomplete')),
    h('ul', {}, lines.map((line) => h('li', {}, line))));
}

// another language: the disabled s.to choice says again where to turn it on
document.addEventListener('localechange', () => {
  const radio = radios().find((r) => r.value === 's.to');
  if (!radio || !radio.disabled) return;
  for (const el of [radio, radio.closest('label')]) el.setAttribute('title', t('sites.sto_off'));
});
