// The notifications bell in the header of every page for a signed-in person: the unread count,
// a dropdown list, marking read, and live updates over SSE (the stream sends "unread" at once and
// after every change, and "notification" as each one is created).
import { api, avatar, el, formatAge, toast } from './app.js';

const button = document.getElementById('bell-button');
const panel = document.getElementById('bell-panel');
const list = document.getElementById('bell-list');
const count = document.getElementById('bell-count');
const empty = document.getElementById('bell-empty');
let loaded = false;

function showUnread(n) {
  count.textContent = n > 99 ? '99+' : String(n);
  count.hidden = n === 0;
  button.dataset.unread = String(n);
  button.setAttribute('aria-label', n ? `Notifications, ${n} unread` : 'Notifications');
}

function href(n) {
  if (!n.video_id) return '#';
  if (n.type === 'live_started') return '/live/' + encodeURIComponent(n.video_id);
  // A moderator's decision: the creator reads it (and appeals a takedown) in Studio.
  if (n.type === 'video_taken_down') return '/studio';
  const watch = '/watch/' + encodeURIComponent(n.video_id);
  return n.comment_id ? watch + '?comment=' + encodeURIComponent(n.comment_id) + '#comments' : watch;
}

function item(n) {
  return el('li', { class: 'bell-item' + (n.read ? '' : ' unread'), 'data-id': String(n.id) },
    el('a', { href: href(n), onclick: () => markOpened(n.id) },
      n.actor ? avatar(n.actor, 32) : el('span', { class: 'avatar', 'aria-hidden': 'true', text: '★', style: 'width:32px;height:32px' }),
      el('span', { class: 'bell-text' }, el('span', { text: n.message }), el('span', { class: 'muted', text: formatAge(n.created_at) }))));
}

async function load() {
  try {
    const res = await api('/api/v1/notifications?limit=20');
    list.replaceChildren(...res.items.map(item));
    empty.hidden = res.items.length > 0;
    loaded = true;
  } catch (e) {
    empty.textContent = e.message;
    empty.hidden = false;
  }
}

async function markRead(ids) {
  try {
    const res = await api('/api/v1/notifications/read', { method: 'POST', body: { ids } });
    tell('unread', { unread_count: res.unread_count });
    for (const li of list.children) {
      if (!ids.length || ids.includes(Number(li.dataset.id))) li.classList.remove('unread');
    }
  } catch (e) { toast(e.message); }
}

/** Following a notification's link leaves the page: a keepalive request still marks it read. */
function markOpened(id) {
  fetch('/api/v1/notifications/read', { method: 'POST', keepalive: true, credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ids: [id] }) }).catch(() => {});
}

function toggle(open) {
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open && !loaded) load();
}

button.addEventListener('click', () => toggle(panel.hidden));
document.getElementById('bell-read-all').addEventListener('click', () => markRead([]));
document.addEventListener('click', (e) => {
  if (!panel.hidden && !e.target.closest('#bell')) toggle(false);
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !panel.hidden) { toggle(false); button.focus(); }
});

// Live. One tab per browser holds the stream (a Web Lock elects it) and passes what it hears to the
// others over a BroadcastChannel: over HTTP/1.1 a browser opens at most six connections to a site,
// and a stream per open tab would use them all up. EventSource reconnects by itself after a drop.
const tabs = 'BroadcastChannel' in window ? new BroadcastChannel('kinora-notifications') : null;

function hear(type, data) {
  if (type === 'unread') {
    showUnread(data.unread_count);
  } else if (type === 'notification') {
    if (loaded) {
      list.prepend(item(data));
      empty.hidden = true;
    }
    toast(data.message);
  }
}

function tell(type, data) {
  hear(type, data);
  tabs?.postMessage({ type, data });
}

tabs?.addEventListener('message', (e) => hear(e.data.type, e.data.data));

/** Holds the stream until the page goes away; resolving releases the lock to another tab. */
function listen() {
  return new Promise((resolve) => {
    const stream = new EventSource('/api/v1/notifications/stream');
    for (const type of ['unread', 'notification']) stream.addEventListener(type, (e) => tell(type, JSON.parse(e.data)));
    addEventListener('pagehide', () => { stream.close(); resolve(); }, { once: true });
  });
}

function start() {
  if (navigator.locks && tabs) {
    api('/api/v1/notifications/unread-count').then((r) => showUnread(r.unread_count)).catch(() => {});
    navigator.locks.request('kinora-notifications-stream', listen);
  } else {
    listen();
  }
}
start();
addEventListener('pageshow', (e) => { if (e.persisted) start(); }); // back from the back/forward cache
