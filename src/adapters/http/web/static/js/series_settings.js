// A series' own settings in the series view: monitored (automatic downloads apply), upgrade
// (replace a file when a better language appears) and its own language order (none ticked:
// the global order). Saved with `PATCH /api/anime/<key>`.

import { patch } from './api.js';
import { busy, errorText, h, notify } from './ui.js';
import { chosenOf, orderList } from './order.js';

const LANGUAGES = ['German Dub', 'German Sub', 'English Sub', 'English Dub'];

/** The settings panel of `series`; `onSaved(series)` gets the series as the server answers. */
export function seriesSettings(series, onSaved) {
  const monitored = h('input', { type: 'checkbox', id: 'series-monitored', checked: series.monitored !== false });
  const upgrade = h('input', { type: 'checkbox', id: 'series-upgrade', checked: !!series.upgrade });
  const languages = orderList('series-languages', 'Languages of this series', series.languages || [], LANGUAGES);
  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', id: 'series-save' }, 'Save series settings');
  const form = h('form', { class: 'panel', id: 'series-settings', novalidate: true },
    h('h2', {}, 'Series settings'),
    h('label', { class: 'check', for: 'series-monitored' }, monitored, 'Monitored: download missing episodes automatically'),
    h('label', { class: 'check', for: 'series-upgrade' }, upgrade, 'Upgrade: replace a file when a better language appears'),
    h('p', { class: 'hint' }, 'Own language order (tick none to follow the global settings):'),
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
        notify('Series settings saved', 'ok');
        onSaved(changed);
      } catch (e) {
        error.textContent = errorText(e);
      }
    });
  });
  return form;
}
