// A series' cover as this server serves it (`cover` of a series answer, /api/anime/<key>/cover),
// or a placeholder with the title's first letter while none is kept. No image ever comes
// from another host (the page's CSP says img-src 'self').

import { h } from './ui.js';

function placeholder(title, size) {
  const letter = (title || '?').trim().charAt(0).toUpperCase() || '?';
  return h('span', { class: `cover ${size} placeholder`, 'aria-hidden': 'true' }, letter);
}

/** The cover of `series` ({cover, name or title}), `small` for cards or `large`. */
export function cover(series, size = 'small') {
  const title = series.name || series.title;
  if (!series.cover || !series.cover.startsWith('/')) return placeholder(title, size);
  const img = h('img', { class: `cover ${size}`, src: series.cover, alt: '', loading: 'lazy', decoding: 'async' });
  img.addEventListener('error', () => img.replaceWith(placeholder(title, size)), { once: true });
  return img;
}
