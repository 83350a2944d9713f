// The settings panel that shows how to add the product to Sonarr (INTEGRATIONS.md sections
// 2 to 4), filled in with this server's address: as a Torznab indexer, as a qBittorrent
// download client, where Sonarr's downloads go (the `arr` folder, settable here, and how to
// map it when Sonarr runs in a container), and as a Sonarr service in Homepage. Loaded when
// its section of the settings is opened, with its texts (the `arr` part).

import { put } from './api.js';
import { busy, h, notify } from './ui.js';
import { t, useTexts } from './i18n.js';

/** A labelled value to copy: "URL  http://…". */
const value = (label, text, id) => h('div', { class: 'kv' }, h('span', { class: 'meta' }, label), ' ', h('code', { id }, text));

/** The text of `key` with its `{name}` placeholders replaced by the elements in `nodes`. */
function withNodes(key, nodes) {
  return t(key).split(/\{(\w+)\}/).map((part, i) => (i % 2 ? nodes[part] ?? `{${part}}` : part)).filter((part) => part !== '');
}

/** The folder Sonarr's downloads go to, as the server resolves `downloads.arr_path`. */
function arrFolder(config) {
  const set = (config.downloads || {}).arr_path;
  const dataDir = config.data_dir || 'data';
  if (!set) return `${dataDir.replace(/\/$/, '')}/arr-downloads`;
  return set.startsWith('/') ? set : `${dataDir.replace(/\/$/, '')}/${set}`;
}

/**
 * The panel's contents (its section and heading are the settings'), once its texts are there;
 * `render` shows the settings again after the folder changed.
 */
export async function arrPanel(config, render) {
  await useTexts('arr');
  const origin = location.origin;
  const https = location.protocol === 'https:';
  const port = location.port || (https ? '443' : '80');
  const folder = arrFolder(config);
  const input = h('input', { type: 'text', id: 'arr-path', value: (config.downloads || {}).arr_path || '',
    placeholder: `${(config.data_dir || 'data').replace(/\/$/, '')}/arr-downloads`, 'aria-describedby': 'arr-path-hint' });
  const save = h('button', { type: 'submit', id: 'arr-path-save' }, t('arr.save_folder'));
  const form = h('form', { id: 'arr-path-form' },
    h('div', { class: 'field' }, h('label', { for: 'arr-path' }, t('arr.folder')), input,
      h('span', { class: 'hint', id: 'arr-path-hint' }, t('arr.folder_hint'))),
    save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      const updated = await put('/api/config', { downloads: { arr_path: input.value.trim() || null } });
      notify(t('arr.folder_saved'), 'ok');
      render(updated);
    });
  });
  const homepage = [
    '- aniworld:',
    '    icon: sonarr.png',
    `    href: ${origin}`,
    '    widget:',
    '      type: sonarr',
    `      url: ${origin}`,
    `      key: <${t('arr.homepage_key')}>`,
  ].join('\n');
  // Sonarr's and Prowlarr's own names of menus and fields are as their (English) UI has them
  return [
    h('p', { class: 'hint' }, t('arr.hint')),
    h('h3', {}, t('arr.indexer')),
    value(t('arr.url'), `${origin}/torznab`, 'arr-torznab-url'),
    value(t('arr.api_path'), '/api', 'arr-torznab-path'),
    value(t('arr.api_key'), t('arr.download_key'), 'arr-torznab-key'),
    value(t('arr.categories'), t('arr.categories_value'), 'arr-torznab-cats'),
    h('h3', {}, t('arr.download_client')),
    value(t('arr.host'), location.hostname, 'arr-qbit-host'),
    value(t('arr.port'), port, 'arr-qbit-port'),
    value(t('arr.use_ssl'), https ? t('arr.yes') : t('arr.no'), 'arr-qbit-ssl'),
    value(t('arr.username'), t('arr.any_name'), 'arr-qbit-user'),
    value(t('arr.password'), t('arr.download_key'), 'arr-qbit-password'),
    value(t('arr.category'), 'tv-sonarr', 'arr-qbit-category'),
    h('h3', {}, t('arr.where_files_go')),
    h('p', {}, withNodes('arr.files', { folder: h('code', { id: 'arr-folder' }, folder) })),
    h('p', { class: 'hint' }, withNodes('arr.container', {
      mount: h('code', {}, `-v ${folder}:${folder}`),
      host: h('code', {}, location.hostname),
      remote: h('code', {}, `${folder}/`),
    })),
    form,
    h('h3', {}, t('arr.dashboard')),
    h('pre', { id: 'arr-homepage' }, homepage),
  ];
}
