// Search results: channels that match, then videos, with filters and sorts that reload the page
// (so every result page has a shareable URL) and more results over the cursor.
import { api, el, formatAge, formatCount, formatDuration, page } from './app.js';
import { pager } from './pager.js';

const filters = page.filters;
const form = document.getElementById('filters');
for (const name of ['sort', 'uploaded', 'duration', 'category', 'language']) {
  const select = form.elements[name];
  if (filters[name]) select.value = filters[name];
  select.addEventListener('change', () => form.requestSubmit());
}

const results = document.getElementById('results');
const status = document.getElementById('results-status');
const more = document.getElementById('load-more');
const found = pager('/api/v1/search', { ...filters, limit: '20' });

function resultItem(v) {
  const stats = [];
  if (typeof v.view_count === 'number') stats.push(formatCount(v.view_count, 'view'));
  stats.push(formatAge(v.published_at || v.created_at));
  const href = '/watch/' + encodeURIComponent(v.id);
  return el('li', { class: 'result' },
    el('a', { class: 'thumb', href, tabindex: '-1', 'aria-hidden': 'true' },
      v.playback?.poster ? el('img', { src: v.playback.poster, alt: '', loading: 'lazy' }) : null,
      v.duration_seconds ? el('span', { class: 'duration', text: formatDuration(v.duration_seconds) }) : null),
    el('div', { class: 'result-text' },
      el('h2', {}, el('a', { href, text: v.title })),
      el('p', { class: 'meta', text: [v.channel?.name, ...stats].filter(Boolean).join(' · ') }),
      v.description ? el('p', { class: 'snippet', text: v.description.slice(0, 180) }) : null));
}

async function load() {
  status.textContent = 'Searching…';
  more.hidden = true;
  try {
    results.append(...(await found.next()).map(resultItem));
    more.hidden = found.done;
    status.textContent = '';
    document.getElementById('results-empty').hidden = results.children.length > 0;
  } catch (e) {
    status.textContent = e.message;
  }
}

async function loadChannels() {
  if (filters.channel) return; // called once, before the first page of videos
  try {
    const res = await api('/api/v1/search/channels?' + new URLSearchParams({ q: filters.q, limit: '3' }));
    document.getElementById('channel-results').replaceChildren(...res.items.map((c) =>
      el('li', { class: 'channel-result card' },
        el('span', { class: 'avatar', 'aria-hidden': 'true', text: (c.name || '?').slice(0, 1).toUpperCase() }),
        el('span', {}, el('strong', { text: c.name }), el('span', { class: 'muted', text: ' · ' + formatCount(c.video_count, 'video') })))));
  } catch (e) { /* videos still show */ }
}

more.addEventListener('click', load);
loadChannels();
load();
