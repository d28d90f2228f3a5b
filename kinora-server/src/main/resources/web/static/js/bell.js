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
  return n.video_id ? '/watch/' + encodeURIComponent(n.video_id) + (n.comment_id ? '#comments' : '') : '#';
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
    showUnread(res.unread_count);
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

// Live: EventSource reconnects by itself after a dropped connection; the stream resends the count.
const stream = new EventSource('/api/v1/notifications/stream');
stream.addEventListener('unread', (e) => showUnread(JSON.parse(e.data).unread_count));
stream.addEventListener('notification', (e) => {
  const n = JSON.parse(e.data);
  if (loaded) {
    list.prepend(item(n));
    empty.hidden = true;
  }
  toast(n.message);
});
addEventListener('pagehide', () => stream.close());
