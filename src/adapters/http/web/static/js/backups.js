// Settings panels that act at once: switching the anime directory, and configuration
// backups (create, list, restore, delete).

import { del, get, post } from './api.js';
import { busy, errorText, fill, formatTime, h, notify } from './ui.js';

/** The anime directory and the switch to another one. */
export function directoryPanel(config) {
  const input = h('input', { type: 'text', id: 'anime-directory', value: config.anime_directory ?? '', placeholder: '/srv/anime', required: true });
  const button = h('button', { type: 'submit' }, 'Switch directory');
  const form = h('form', { class: 'panel', 'aria-labelledby': 'h-dir' },
    h('h2', { id: 'h-dir' }, 'Anime directory'),
    h('div', { class: 'field' }, h('label', { for: 'anime-directory' }, 'Library root on the server'), input,
      h('span', { class: 'hint' }, 'Series found there (by their aniworld.json) join the library.')),
    button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(button, async () => {
      const done = await post('/api/config/directory', { directory: input.value.trim() });
      notify(`${done.message} (${done.synced_series} series found)`, 'ok');
    });
  });
  return form;
}

/** Configuration backups; `onRestore(config)` shows the restored configuration. */
export function backupsPanel(onRestore) {
  const list = h('ul', { class: 'plain', id: 'backup-list' });
  const name = h('input', { type: 'text', id: 'backup-name', placeholder: 'Optional', maxlength: 100 });
  const create = h('button', { type: 'submit' }, 'Create backup');
  const load = async () => {
    try {
      const backups = await get('/api/config/backups');
      fill(list, backups.length ? backups.map((b) => row(b)) : h('li', { class: 'empty' }, 'No backups yet.'));
    } catch (e) {
      fill(list, h('li', { class: 'form-error' }, errorText(e)));
    }
  };
  const row = (backup) => {
    const restore = h('button', { type: 'button', class: 'ghost small', 'aria-label': `Restore ${backup.name}` }, 'Restore');
    const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': `Delete ${backup.name}` }, 'Delete');
    restore.addEventListener('click', () => {
      if (!confirm(`Restore the configuration from ${backup.name}?`)) return;
      busy(restore, async () => {
        const config = await post(`/api/config/backups/${encodeURIComponent(backup.name)}/restore`);
        notify(`Restored ${backup.name}.`, 'ok');
        onRestore(config);
      });
    });
    remove.addEventListener('click', () => {
      if (!confirm(`Delete ${backup.name}?`)) return;
      busy(remove, async () => {
        const done = await del(`/api/config/backups/${encodeURIComponent(backup.name)}`);
        notify(done.message, 'ok');
        await load();
      });
    });
    return h('li', { class: 'card' },
      h('div', { class: 'what' }, h('strong', {}, backup.name),
        h('span', { class: 'meta' }, `${formatTime(backup.created)} · ${(backup.size / 1024).toFixed(1)} KiB`)),
      h('div', { class: 'row' }, restore, remove));
  };
  const form = h('form', { class: 'panel', 'aria-labelledby': 'h-backups' },
    h('h2', { id: 'h-backups' }, 'Backups'),
    h('div', { class: 'row' }, h('label', { for: 'backup-name' }, 'Name'), name, create),
    list);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(create, async () => {
      const q = name.value.trim() ? `?name=${encodeURIComponent(name.value.trim())}` : '';
      const done = await post(`/api/config/backups${q}`);
      notify(`${done.message}: ${done.name}`, 'ok');
      name.value = '';
      await load();
    });
  });
  load();
  return form;
}
