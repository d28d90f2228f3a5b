// The subscriptions feed: newest videos from the channels you follow, and those channels.
import { api, avatar, channelUrl, el, videoCard } from './app.js';
import { pager } from './pager.js';

const grid = document.getElementById('grid');
const status = document.getElementById('feed-status');
const more = document.getElementById('load-more');
const feed = pager('/api/v1/me/feed', { limit: '24' });

async function load() {
  status.textContent = 'Loading…';
  more.hidden = true;
  try {
    grid.append(...(await feed.next()).map((v) => videoCard(v)));
    more.hidden = feed.done;
    status.textContent = '';
    document.getElementById('feed-empty').hidden = grid.children.length > 0;
  } catch (e) { status.textContent = e.message; }
}

api('/api/v1/me/subscriptions?limit=50').then((res) => {
  document.getElementById('channel-chips').replaceChildren(...res.items.map((c) =>
    el('li', {}, el('a', { class: 'channel-chip', href: channelUrl(c) }, avatar(c, 28), el('span', { text: c.display_name })))));
}).catch(() => { /* the feed still shows */ });
more.addEventListener('click', load);
load();
