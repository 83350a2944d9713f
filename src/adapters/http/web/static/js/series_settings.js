// A series' own settings in the series view: monitored (automatic downloads apply), upgrade
// (replace a file when a better language appears) and its own language order (none ticked:
// the global order). Saved with `PATCH /api/anime/<key>`.

import { patch } from './api.js';
import { busy, errorText, h, notify } from './ui.js';
import { chosenOf, idsOf, orderList } from './order.js';
import { languageName, t } from './i18n.js';

// The API's language values, sent as they are (shown as `languageName` names them).
const LANGUAGES = Object.keys({ 'German Dub': 1, 'German Sub': 1, 'English Sub': 1, 'English Dub': 1 });

/** A language as the chosen language names it (an unknown one as the API spells it). */
function shown(value) {
  const name = languageName(value);
  return name === `language.${value}` ? value : name;
}

/**
 * What the settings form in `root` holds (saved or not) as series fields, to render it again
 * unchanged; null without a form.
 */
export function settingsDraft(root) {
  const form = root.querySelector('#series-settings');
  if (!form) return null;
  const list = form.querySelector('#series-languages');
  const chosen = chosenOf(list);
  return {
    monitored: form.querySelector('#series-monitored').checked,
    upgrade: form.querySelector('#series-upgrade').checked,
    languages: chosen,
    // the unticked ones keep their place too
    languageOrder: idsOf(list),
  };
}

/** The settings panel of `series`; `onSaved(series)` gets the series as the server answers. */
export function seriesSettings(series, onSaved) {
  const monitored = h('input', { type: 'checkbox', id: 'series-monitored', checked: series.monitored !== false });
  const upgrade = h('input', { type: 'checkbox', id: 'series-upgrade', checked: !!series.upgrade });
  const known = series.languageOrder ? [...series.languageOrder, ...LANGUAGES.filter((l) => !series.languageOrder.includes(l))] : LANGUAGES;
  const chosen = series.languages || [];
  const languages = orderList('series-languages', t('series_settings.languages'),
    series.languageOrder ? known.filter((l) => chosen.includes(l)) : chosen, known, shown);
  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', id: 'series-save' }, t('series_settings.save'));
  const form = h('form', { class: 'panel', id: 'series-settings', novalidate: true },
    h('h2', {}, t('series_settings.heading')),
    h('label', { class: 'check', for: 'series-monitored' }, monitored, t('series_settings.monitored')),
    h('label', { class: 'check', for: 'series-upgrade' }, upgrade, t('series_settings.upgrade')),
    h('p', { class: 'hint' }, t('series_settings.own_order')),
    languages,
    error,
    save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    busy(save, async () => {
      try {
        const changed = await patch(`/api/anime/${encodeURIComponent(series.key)}`, {
          monitored: monitored.checked,
          upgrade: upgrade.checked,
          languages: chosenOf(languages),
        });
        notify(t('series_settings.saved'), 'ok');
        onSaved(changed);
      } catch (e) {
        error.textContent = errorText(e);
      }
    });
  });
  return form;
}
