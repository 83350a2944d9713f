// The UI's language (German or English): chosen by the browser (`navigator.languages`) on the
// first visit, switchable in the header, kept in localStorage. Texts come from one catalogue
// per language: its core (/static/i18n/<lang>.js, what every page shows) and its parts
// (/static/i18n/parts/<part>.<lang>.js), which a view loads with `useTexts` before it renders,
// so a page loads only the texts it shows. Only the chosen language is loaded; a key it lacks
// falls back to English (loaded then) and is reported at DEBUG. Dates, times, sizes, speeds
// and durations are formatted with `Intl` for the chosen locale. The API stays English:
// `apiErrorText` translates the error codes it knows and shows the API's message for the rest.

export const LANGUAGES = { de: 'Deutsch', en: 'English' };
const KEY = 'aniworld.lang';
/** Texts by language, core and loaded parts merged. */
const catalogues = {};
/** The parts the page uses, loaded again for a new language. */
const parts = new Set();
let lang = 'en';

/** The language the browser asks for: the first of `navigator.languages` we speak. */
function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base in LANGUAGES) return base;
  }
  return 'en';
}

function stored() {
  try { return localStorage.getItem(KEY); } catch { return null; }
}

/** Loads the core and the parts in use of `code` (once). */
async function loadLanguage(code) {
  if (!catalogues[code]) {
    catalogues[code] = { ...(await import(`/static/i18n/${code}.js`)).default };
    catalogues[code].__parts = new Set();
  }
  await Promise.all([...parts].map((part) => loadPart(code, part)));
}

async function loadPart(code, part) {
  const catalogue = catalogues[code];
  if (catalogue.__parts.has(part)) return;
  Object.assign(catalogue, (await import(`/static/i18n/parts/${part}.${code}.js`)).default);
  catalogue.__parts.add(part);
}

async function load(want) {
  if (!(want in LANGUAGES)) want = 'en';
  await loadLanguage(want);
  lang = want;
  document.documentElement.lang = want;
}

await load(stored() || browserLanguage());

/** Loads the texts of a part of the UI (`library`, `queue`, ...) in the chosen language. */
export async function useTexts(part) {
  parts.add(part);
  await loadPart(lang, part);
  if (catalogues.en) await loadPart('en', part);
}

let fallback = null;
/** English, loaded the first time a key is missing; the views render again once it is there. */
function loadFallback() {
  fallback ??= loadLanguage('en').then(() => {
    document.dispatchEvent(new CustomEvent('localechange', { detail: { lang } }));
  });
}

/** The chosen language, `de` or `en`. */
export const language = () => lang;

/** The text of `key` with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  let text = catalogues[lang][key];
  if (text === undefined) {
    console.debug(`i18n: no ${lang} text for ${key}`);
    text = catalogues.en?.[key];
    if (text === undefined) {
      if (lang !== 'en') loadFallback();
      return key;
    }
  }
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
}

/** Plural forms: `key.one` / `key.other` by `Intl.PluralRules`, `{n}` formatted. */
export function tn(key, n, params = {}) {
  const form = new Intl.PluralRules(lang).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { ...params, n: formatNumber(n) });
}

/**
 * Puts the texts into the page's marked elements: `data-i18n="key"` sets the text,
 * `data-i18n-attr="aria-label:key title:key2"` sets attributes, and `<html
 * data-i18n-title="key">` the document's title.
 */
export function translatePage(root = document) {
  const title = document.documentElement.dataset.i18nTitle;
  if (root === document && title) document.title = t(title);
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.trim().split(/\s+/)) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    }
  }
}

/** Switches the language without a reload; views listen for `localechange` to render again. */
export async function setLanguage(want) {
  await load(want);
  try { localStorage.setItem(KEY, lang); } catch { /* private mode: for this page only */ }
  translatePage();
  document.dispatchEvent(new CustomEvent('localechange', { detail: { lang } }));
}

/** The language switch: a select in the header (`#lang`), if the page has one. */
export function bindLanguageSwitch() {
  const select = document.getElementById('lang');
  if (!select) return;
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => {
    const option = document.createElement('option');
    option.value = code;
    option.textContent = name;
    option.lang = code;
    return option;
  }));
  select.value = lang;
  select.addEventListener('change', () => setLanguage(select.value));
}

const locale = () => (lang === 'de' ? 'de-DE' : 'en-GB');

export const formatNumber = (n, digits) => new Intl.NumberFormat(locale(), digits === undefined ? {}
  : { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);

/** A size in bytes: `1,5 GB`, `700 kB`. */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) { value /= 1000; i += 1; }
  return new Intl.NumberFormat(locale(), {
    style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(value);
}

/** A size in MB (the API's `*_mb` fields). */
export const formatMb = (mb) => (mb === null || mb === undefined ? '' : formatBytes(mb * 1e6));

/** A speed in MB/s. */
export const formatSpeed = (mbps) => (mbps === null || mbps === undefined ? ''
  : new Intl.NumberFormat(locale(), { style: 'unit', unit: 'megabyte-per-second', maximumFractionDigits: 1 }).format(mbps));

/** A duration in seconds: `1 h 5 min`, `45 s`. */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.round(seconds);
  const unit = (value, u) => new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  if (s < 60) return unit(s, 'second');
  if (s < 3600) return [unit(Math.floor(s / 60), 'minute'), s % 60 ? unit(s % 60, 'second') : ''].filter(Boolean).join(' ');
  return [unit(Math.floor(s / 3600), 'hour'), Math.round((s % 3600) / 60) ? unit(Math.round((s % 3600) / 60), 'minute') : ''].filter(Boolean).join(' ');
}

/** A date and time: `04.12.2026, 12:30`. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso)
    : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** How long ago: `vor 3 Minuten`, `3 minutes ago`. */
export function formatAgo(iso, now = Date.now()) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const seconds = Math.round((d.getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const steps = [[60, 'second'], [3600, 'minute', 60], [86400, 'hour', 3600], [Infinity, 'day', 86400]];
  for (const [limit, unit, size = 1] of steps) {
    if (Math.abs(seconds) < limit) return rtf.format(Math.round(seconds / size), unit);
  }
  return '';
}

/**
 * The text of an API error: in English the API's message; in another language the code's
 * text where the catalogue knows it, followed by the API's message (which names the field
 * or the series), else the API's message alone.
 */
export function apiErrorText(code, message) {
  const known = lang !== 'en' && catalogues[lang][`error.${code}`];
  return known ? `${known}: ${message}` : message;
}

/** A language of the product (the API's `German Dub`, ...), as the chosen language names it. */
export const languageName = (value) => (value ? t(`language.${value}`) : value);
