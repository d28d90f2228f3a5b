// Your playlists, Watch later first, and a form to start a new one.
import { api, el, formatCount, toast } from './app.js';

const grid = document.getElementById('playlist-grid');
const status = document.getElementById('feed-status');
const form = document.getElementById('new-playlist');

function card(p, first) {
  const poster = first?.video?.playback?.poster;
  const title = p.kind === 'watch_later' ? 'Watch later' : p.title;
  const href = '/playlist/' + encodeURIComponent(p.id);
  return el('li', { class: 'video-card playlist-card', 'data-playlist-id': p.id, 'data-kind': p.kind },
    el('a', { class: 'thumb-link', href, tabindex: '-1', 'aria-hidden': 'true' },
      el('div', { class: 'thumb' }, poster ? el('img', { src: poster, alt: '', loading: 'lazy' }) : null,
        el('span', { class: 'duration playlist-count', text: formatCount(p.item_count, 'video') }))),
    el('div', { class: 'card-text' },
      el('h2', {}, el('a', { href, text: title })),
      el('p', { class: 'meta', text: p.privacy + (p.kind === 'watch_later' ? ' · only you' : '') })));
}

async function load() {
  status.textContent = 'Loading…';
  try {
    const res = await api('/api/v1/me/playlists');
    const lists = res.items.slice().sort((a, b) => (a.kind === 'watch_later' ? -1 : 0) - (b.kind === 'watch_later' ? -1 : 0));
    // Each card shows its first video's poster: one small request per playlist, in parallel.
    const firsts = await Promise.all(lists.map((p) => p.item_count
      ? api('/api/v1/playlists/' + encodeURIComponent(p.id) + '/items?limit=1').then((r) => r.items[0]).catch(() => null)
      : null));
    grid.replaceChildren(...lists.map((p, i) => card(p, firsts[i])));
    status.textContent = lists.length ? '' : 'No playlists yet.';
  } catch (e) {
    status.textContent = e.message;
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const title = form.title.value.trim();
  if (!title) return form.title.focus();
  try {
    await api('/api/v1/playlists', { method: 'POST', body: { title, privacy: form.privacy.value } });
    form.title.value = '';
    toast('Playlist created.');
    load();
  } catch (err) { toast(err.message); }
});
load();
