// One playlist: its videos in order, "Play all", and for its owner: reorder, remove and delete.
import { api, el, formatCount, formatDuration, page, toast } from './app.js';
import { pager } from './pager.js';

const id = encodeURIComponent(page.playlist_id);
const items = document.getElementById('playlist-items');
const status = document.getElementById('feed-status');
const more = document.getElementById('load-more');
let playlist = null;
const entries = pager('/api/v1/playlists/' + id + '/items', { limit: '50' });
let own = false;

function showHead() {
  const title = playlist.kind === 'watch_later' ? 'Watch later' : playlist.title;
  document.getElementById('playlist-title').textContent = title;
  document.title = title + ' · Kinora';
  document.getElementById('playlist-meta').textContent = [formatCount(playlist.item_count, 'video'), playlist.privacy].join(' · ');
  document.getElementById('playlist-description').textContent = playlist.description || '';
  document.getElementById('playlist-empty').hidden = playlist.item_count > 0;
}

function row(item) {
  const v = item.video;
  const href = '/watch/' + encodeURIComponent(v.id) + '?list=' + id;
  const li = el('li', { class: 'playlist-item card', 'data-video-id': v.id },
    el('a', { class: 'thumb', href, tabindex: '-1', 'aria-hidden': 'true' },
      v.playback?.poster ? el('img', { src: v.playback.poster, alt: '', loading: 'lazy' }) : null,
      v.duration_seconds ? el('span', { class: 'duration', text: formatDuration(v.duration_seconds) }) : null),
    el('div', { class: 'card-text' },
      el('h2', {}, el('a', { href, text: v.title })),
      el('p', { class: 'meta', text: v.channel?.name || '' })));
  if (own) {
    li.append(el('div', { class: 'item-actions' },
      el('button', { type: 'button', class: 'button', 'aria-label': 'Move up: ' + v.title, text: '↑', onclick: () => move(li, -1) }),
      el('button', { type: 'button', class: 'button', 'aria-label': 'Move down: ' + v.title, text: '↓', onclick: () => move(li, 1) }),
      el('button', { type: 'button', class: 'button', text: 'Remove', 'aria-label': 'Remove ' + v.title, onclick: () => remove(li) })));
  }
  return li;
}

async function move(li, delta) {
  const rows = [...items.children];
  const from = rows.indexOf(li);
  const to = from + delta;
  if (to < 0 || to >= rows.length) return;
  try {
    await api('/api/v1/playlists/' + id + '/items/' + encodeURIComponent(li.dataset.videoId), { method: 'PATCH', body: { position: to } });
    if (delta < 0) rows[to].before(li); else rows[to].after(li);
    li.querySelector('button')?.focus();
    updatePlayAll();
  } catch (e) { toast(e.message); }
}

async function remove(li) {
  try {
    playlist = await api('/api/v1/playlists/' + id + '/items/' + encodeURIComponent(li.dataset.videoId), { method: 'DELETE' });
    li.remove();
    showHead();
    updatePlayAll();
  } catch (e) { toast(e.message); }
}

function updatePlayAll() {
  const first = items.querySelector('.playlist-item');
  const play = document.getElementById('play-all');
  play.hidden = !first;
  if (first) play.href = '/watch/' + encodeURIComponent(first.dataset.videoId) + '?list=' + id;
}

async function loadItems() {
  status.textContent = 'Loading…';
  try {
    items.append(...(await entries.next()).map(row));
    more.hidden = entries.done;
    status.textContent = '';
    updatePlayAll();
  } catch (e) { status.textContent = e.message; }
}

async function start() {
  try {
    playlist = await api('/api/v1/playlists/' + id);
  } catch (e) {
    document.getElementById('playlist-title').textContent = e.status === 404 ? 'This playlist isn’t available' : 'Playlist';
    status.textContent = e.status === 404 ? 'It may be private or deleted, or the link may be wrong.' : e.message;
    return;
  }
  own = Boolean(page.user) && page.user.id === playlist.owner_id;
  showHead();
  if (own && playlist.kind !== 'watch_later') {
    const del = document.getElementById('playlist-delete');
    del.hidden = false;
    del.addEventListener('click', async () => {
      if (!confirm('Delete this playlist? The videos themselves stay.')) return;
      try {
        await api('/api/v1/playlists/' + id, { method: 'DELETE' });
        location.assign('/playlists');
      } catch (e) { toast(e.message); }
    });
  }
  more.addEventListener('click', loadItems);
  loadItems();
}
start();
