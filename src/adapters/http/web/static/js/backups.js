// Settings panels that act at once: switching the anime directory, and configuration
// backups (create, list, restore, delete).

import { del, get, post } from './api.js';
import { busy, errorText, fill, formatTime, h, notify } from './ui.js';
import { formatBytes, t, tn } from './i18n.js';

/** The anime directory and the switch to another one. */
export function directoryPanel(config) {
  const input = h('input', { type: 'text', id: 'anime-directory', value: config.anime_directory ?? '', placeholder: '/srv/anime', required: true });
  const button = h('button', { type: 'submit' }, t('backups.switch_directory'));
  const form = h('form', { class: 'panel', 'aria-labelledby': 'h-dir' },
    h('h2', { id: 'h-dir' }, t('backups.anime_directory')),
    h('div', { class: 'field' }, h('label', { for: 'anime-directory' }, t('backups.library_root')), input,
      h('span', { class: 'hint' }, t('backups.library_root_hint'))),
    button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(button, async () => {
      const done = await post('/api/config/directory', { directory: input.value.trim() });
      notify(tn('backups.directory_switched', done.synced_series), 'ok');
    });
  });
  return form;
}

/** Configuration backups; `onRestore(config)` shows the restored configuration. */
export function backupsPanel(onRestore) {
  const list = h('ul', { class: 'plain', id: 'backup-list' });
  const name = h('input', { type: 'text', id: 'backup-name', placeholder: t('backups.optional'), maxlength: 100 });
  const create = h('button', { type: 'submit' }, t('backups.create'));
  const load = async () => {
    try {
      const backups = await get('/api/config/backups');
      fill(list, backups.length ? backups.map((b) => row(b)) : h('li', { class: 'empty' }, t('backups.empty')));
    } catch (e) {
      fill(list, h('li', { class: 'form-error' }, errorText(e)));
    }
  };
  const row = (backup) => {
    const restore = h('button', { type: 'button', class: 'ghost small', 'aria-label': t('backups.restore_label', { name: backup.name }) }, t('backups.restore'));
    const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': t('backups.delete_label', { name: backup.name }) }, t('backups.delete'));
    restore.addEventListener('click', () => {
      if (!confirm(t('backups.confirm_restore', { name: backup.name }))) return;
      busy(restore, async () => {
        const config = await post(`/api/config/backups/${encodeURIComponent(backup.name)}/restore`);
        notify(t('backups.restored', { name: backup.name }), 'ok');
        onRestore(config);
      });
    });
    remove.addEventListener('click', () => {
      if (!confirm(t('backups.confirm_delete', { name: backup.name }))) return;
      busy(remove, async () => {
        await del(`/api/config/backups/${encodeURIComponent(backup.name)}`);
        notify(t('backups.deleted', { name: backup.name }), 'ok');
        await load();
      });
    });
    return h('li', { class: 'card' },
      h('div', { class: 'what' }, h('strong', {}, backup.name),
        h('span', { class: 'meta' }, `${formatTime(backup.created)} · ${formatBytes(backup.size)}`)),
      h('div', { class: 'row' }, restore, remove));
  };
  const form = h('form', { class: 'panel', 'aria-labelledby': 'h-backups' },
    h('h2', { id: 'h-backups' }, t('backups.heading')),
    h('div', { class: 'row' }, h('label', { for: 'backup-name' }, t('backups.name')), name, create),
    list);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(create, async () => {
      const q = name.value.trim() ? `?name=${encodeURIComponent(name.value.trim())}` : '';
      const done = await post(`/api/config/backups${q}`);
      notify(t('backups.created', { name: done.name }), 'ok');
      name.value = '';
      await load();
    });
  });
  load();
  return form;
}
