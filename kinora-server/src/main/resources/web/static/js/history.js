// Watch history: newest first with how far each was watched; remove one, clear all, pause.
import { api, el, page, toast, videoCard, watchedBar } from './app.js';
import { pager } from './pager.js';

const grid = document.getElementById('grid');
const status = document.getElementById('feed-status');
const more = document.getElementById('load-more');
const pauseButton = document.getElementById('history-pause');
const entries = pager('/api/v1/me/history', { limit: '24' });
let paused = false;

function card(item) {
  const li = videoCard(item.video, { extra: watchedBar(item.completed ? item.video.duration_seconds : item.position_seconds, item.video.duration_seconds) });
  li.querySelector('.card-text').append(el('button', { type: 'button', class: 'link-button', text: 'Remove from history',
    'aria-label': 'Remove ' + item.video.title + ' from history', onclick: async () => {
      try {
        await api('/api/v1/me/history/' + encodeURIComponent(item.video.id), { method: 'DELETE' });
        li.remove();
        document.getElementById('feed-empty').hidden = grid.children.length > 0;
      } catch (e) { toast(e.message); }
    } }));
  return li;
}

async function load() {
  status.textContent = 'Loading…';
  more.hidden = true;
  try {
    grid.append(...(await entries.next()).map(card));
    more.hidden = entries.done;
    status.textContent = '';
    document.getElementById('feed-empty').hidden = grid.children.length > 0;
  } catch (e) { status.textContent = e.message; }
}

function showPaused() {
  pauseButton.textContent = paused ? 'Turn on watch history' : 'Pause watch history';
  pauseButton.setAttribute('aria-pressed', String(paused));
  document.getElementById('history-paused').hidden = !paused;
}

pauseButton.addEventListener('click', async () => {
  try {
    paused = (await api('/api/v1/me/history/settings', { method: 'PUT', body: { paused: !paused } })).paused;
    showPaused();
  } catch (e) { toast(e.message); }
});
document.getElementById('history-clear').addEventListener('click', async () => {
  if (!confirm('Clear all of your watch history? Videos will no longer resume where you stopped.')) return;
  try {
    const res = await api('/api/v1/me/history', { method: 'DELETE' });
    grid.replaceChildren();
    document.getElementById('feed-empty').hidden = false;
    toast(`Cleared ${res.removed} ${res.removed === 1 ? 'video' : 'videos'}.`);
  } catch (e) { toast(e.message); }
});
more.addEventListener('click', load);

if (page.user) {
  api('/api/v1/me/history/settings').then((s) => { paused = s.paused; showPaused(); }).catch(() => {});
  load();
}
