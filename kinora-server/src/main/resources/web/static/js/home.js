// Home: the newest public videos, a page at a time over the cursor API, loading more on scroll.
import { api, fillGrid, page, videoCard, watchedBar } from './app.js';
import { pager } from './pager.js';

const grid = document.getElementById('grid');
const status = document.getElementById('feed-status');
const more = document.getElementById('load-more');
const sentinel = document.getElementById('feed-sentinel');
const newest = pager('/api/v1/videos', { limit: '24' });
let loading = false;

async function loadPage() {
  if (loading || newest.done) return;
  loading = true;
  status.textContent = 'Loading…';
  try {
    for (const v of await newest.next()) grid.append(videoCard(v));
    status.textContent = '';
    document.getElementById('feed-empty').hidden = grid.children.length > 0;
    more.hidden = newest.done;
  } catch (e) {
    status.textContent = e.message;
    more.hidden = false;
  } finally {
    loading = false;
  }
}

// Signed in: the videos started and not finished, each with how far it got.
if (page.user) {
  api('/api/v1/me/continue-watching?limit=8').then((res) => {
    if (!res.items.length) return;
    document.getElementById('continue-grid').replaceChildren(...res.items.map((i) =>
      videoCard(i.video, { extra: watchedBar(i.position_seconds, i.video.duration_seconds) })));
    document.getElementById('continue').hidden = false;
  }).catch(() => { /* a nicety: the feeds below still show */ });
}

// Signed in: a mix of subscriptions, trending and fresh uploads above the newest videos.
if (page.user) {
  api('/api/v1/feed/home?limit=8').then((feed) => {
    if (fillGrid(document.getElementById('for-you-grid'), feed.items)) document.getElementById('for-you').hidden = false;
  }).catch(() => { /* the newest list below still shows */ });
}

more.addEventListener('click', loadPage);
new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting)) loadPage();
}, { rootMargin: '600px' }).observe(sentinel);
loadPage();
