// The settings panel that shows how to add the product to Sonarr (INTEGRATIONS.md sections
// 2 to 4), filled in with this server's address: as a Torznab indexer, as a qBittorrent
// download client, where Sonarr's downloads go (the `arr` folder, settable here, and how to
// map it when Sonarr runs in a container), and as a Sonarr service in Homepage.

import { put } from './api.js';
import { busy, h, notify } from './ui.js';

/** A labelled value to copy: "URL  http://…". */
const value = (label, text, id) => h('div', { class: 'kv' }, h('span', { class: 'meta' }, label), ' ', h('code', { id }, text));

/** The folder Sonarr's downloads go to, as the server resolves `downloads.arr_path`. */
function arrFolder(config) {
  const set = (config.downloads || {}).arr_path;
  const dataDir = config.data_dir || 'data';
  if (!set) return `${dataDir.replace(/\/$/, '')}/arr-downloads`;
  return set.startsWith('/') ? set : `${dataDir.replace(/\/$/, '')}/${set}`;
}

/** The panel; `render` shows the settings again after the folder changed. */
export function arrPanel(config, render) {
  const origin = location.origin;
  const https = location.protocol === 'https:';
  const port = location.port || (https ? '443' : '80');
  const folder = arrFolder(config);
  const input = h('input', { type: 'text', id: 'arr-path', value: (config.downloads || {}).arr_path || '',
    placeholder: `${(config.data_dir || 'data').replace(/\/$/, '')}/arr-downloads`, 'aria-describedby': 'arr-path-hint' });
  const save = h('button', { type: 'submit', id: 'arr-path-save' }, 'Save folder');
  const form = h('form', { id: 'arr-path-form' },
    h('div', { class: 'field' }, h('label', { for: 'arr-path' }, 'Folder for Sonarr’s downloads'), input,
      h('span', { class: 'hint', id: 'arr-path-hint' }, 'An absolute path, or one inside the data folder; empty for the default.')),
    save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      const updated = await put('/api/config', { downloads: { arr_path: input.value.trim() || null } });
      notify('Folder saved.', 'ok');
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
    '      key: <a key with the read scope>',
  ].join('\n');
  return h('section', { class: 'panel', id: 'arr-help', 'aria-labelledby': 'h-arr' },
    h('h2', { id: 'h-arr' }, 'Sonarr, Prowlarr and dashboards'),
    h('p', { class: 'hint' }, 'Make a key with the download scope above for Sonarr or Prowlarr, and one with the read scope for a dashboard.'),
    h('h3', {}, 'Indexer (Sonarr: Settings → Indexers → Torznab; or Prowlarr: Generic Torznab)'),
    value('URL', `${origin}/torznab`, 'arr-torznab-url'),
    value('API Path', '/api', 'arr-torznab-path'),
    value('API Key', 'a key with the download scope', 'arr-torznab-key'),
    value('Categories', '5070 (TV/Anime), for an anime series also Anime Categories 5070', 'arr-torznab-cats'),
    h('h3', {}, 'Download client (Sonarr: Settings → Download Clients → qBittorrent)'),
    value('Host', location.hostname, 'arr-qbit-host'),
    value('Port', port, 'arr-qbit-port'),
    value('Use SSL', https ? 'yes' : 'no', 'arr-qbit-ssl'),
    value('Username', 'any name', 'arr-qbit-user'),
    value('Password', 'a key with the download scope', 'arr-qbit-password'),
    value('Category', 'tv-sonarr', 'arr-qbit-category'),
    h('h3', {}, 'Where the files go'),
    h('p', {}, 'Episodes Sonarr grabs download to ', h('code', { id: 'arr-folder' }, folder),
      ', one folder per release, never into your library: Sonarr imports and renames them itself, and removes them after import when it is set to.'),
    h('p', { class: 'hint' }, 'When Sonarr runs in a container, mount this folder into it at the same path (',
      h('code', {}, `-v ${folder}:${folder}`),
      '), or add a Remote Path Mapping in Sonarr (Settings → Download Clients): host ',
      h('code', {}, location.hostname), ', remote path ', h('code', {}, `${folder}/`),
      ', local path where Sonarr sees the folder.'),
    form,
    h('h3', {}, 'Dashboard (Homepage services.yaml)'),
    h('pre', { id: 'arr-homepage' }, homepage));
}
