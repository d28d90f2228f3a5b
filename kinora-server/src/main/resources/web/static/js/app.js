// Shared by every page: page data, the API client, small DOM and formatting helpers, sign-out.

import './moderation-cards.js'; // blurs sensitive and hides blocked channels' cards on every page

export const page = JSON.parse(document.getElementById('page-data').textContent);

/** An API error with the server's code and sentence, ready to show to the person. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

/** Calls the JSON API with the session cookie; resolves to the parsed body (null for 204). */
export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network_error', 'Could not reach Kinora. Check your connection and try again.');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: reported below */ }
  if (!res.ok) {
    throw new ApiError(res.status, json?.code || 'http_' + res.status,
      json?.message || `The server answered ${res.status}.`, json?.details);
  }
  return json;
}

/** Creates an element; string children become text nodes, so data is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return (h ? h + ':' : '') + mm + ':' + String(sec).padStart(2, '0');
}

export function formatAge(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [name, size] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n > 1 ? 's' : ''} ago`;
  }
  return 'just now';
}

export function formatDate(iso) {
  return iso ? new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : '';
}

export function formatBytes(n) {
  if (!isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return (i ? n.toFixed(n < 10 ? 1 : 0) : n) + ' ' + units[i];
}

export function formatCount(n, noun) {
  const s = n >= 1e6 ? (n / 1e6).toFixed(1).replace(/\.0$/, '') + 'M' : n >= 1e3 ? (n / 1e3).toFixed(1).replace(/\.0$/, '') + 'K' : String(n);
  return `${s} ${noun}${n === 1 ? '' : 's'}`;
}

/** Sets a progress bar's fill and its accessible value. */
export function setProgress(bar, percent) {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  bar.setAttribute('aria-valuenow', String(p));
  bar.querySelector('.progress-fill').style.width = p + '%';
}

let toastTimer;
export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

/** The link to a channel's page: by handle when known (the readable URL), else by id. */
export function channelUrl(c) {
  return '/channel/' + (c.handle ? '@' + encodeURIComponent(c.handle) : encodeURIComponent(c.id));
}

/** A channel's round picture, or its initial on a coloured disc when it has none. */
export function avatar(c, size = 36) {
  const name = c?.display_name || c?.name || c?.handle || '?';
  if (c?.avatar_url) {
    return el('img', { class: 'avatar', src: c.avatar_url, alt: '', width: String(size), height: String(size), loading: 'lazy',
      style: `width:${size}px;height:${size}px` });
  }
  return el('span', { class: 'avatar', 'aria-hidden': 'true', style: `width:${size}px;height:${size}px;font-size:${Math.round(size / 2.3)}px`,
    text: Array.from(name)[0].toUpperCase() });
}

/** Sends a signed-out visitor to sign in, coming back here afterwards. */
export function signIn() {
  location.assign('/signin?next=' + encodeURIComponent(location.pathname + location.search));
}

/** A card for the video grid: poster, duration, title, channel, views and age. */
export function videoCard(v, { href, extra } = {}) {
  const poster = v.playback?.poster;
  const stats = [];
  if (typeof v.view_count === 'number') stats.push(formatCount(v.view_count, 'view'));
  stats.push(formatAge(v.published_at || v.created_at));
  const link = href || '/watch/' + encodeURIComponent(v.id);
  return el('li', { class: 'video-card', 'data-video-id': v.id },
    el('a', { class: 'thumb-link', href: link, tabindex: '-1', 'aria-hidden': 'true' },
      el('div', { class: 'thumb' },
        poster ? el('img', { src: poster, alt: '', loading: 'lazy', decoding: 'async' }) : null,
        v.duration_seconds ? el('span', { class: 'duration', 'aria-label': 'Duration ' + formatDuration(v.duration_seconds) },
          formatDuration(v.duration_seconds)) : null,
        extra || null)),
    el('div', { class: 'card-text' },
      el('h2', {}, el('a', { href: link, text: v.title })),
      v.channel ? el('p', { class: 'meta channel' }, el('a', { href: channelUrl(v.channel), text: v.channel.name || v.channel.handle })) : null,
      el('p', { class: 'meta', text: stats.join(' · ') })));
}

/** A thin bar across the bottom of a thumbnail: how much of it was watched. */
export function watchedBar(position, duration) {
  if (!duration || !position) return null;
  const p = Math.max(2, Math.min(100, (position / duration) * 100));
  return el('span', { class: 'watched', 'aria-label': `Watched ${Math.round(p)} %` }, el('span', { style: `width:${p}%` }));
}

/** The random id an anonymous viewer's play events carry, kept across visits so a view counts once. */
export function playSession() {
  const key = 'kinora.play-session';
  let id = null;
  try { id = localStorage.getItem(key); } catch (e) { /* storage refused: a fresh id per page */ }
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(22));
    id = Array.from(bytes, (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[b & 63]).join('');
    try { localStorage.setItem(key, id); } catch (e) { /* see above */ }
  }
  return id;
}

/** Renders a list of videos as grid cards into {@code list}; returns how many. */
export function fillGrid(list, videos) {
  list.replaceChildren(...videos.map((v) => videoCard(v)));
  return videos.length;
}

// The header's search box suggests completions as you type (one request per pause in typing).
const searchBox = document.getElementById('search-q');
const suggestions = document.getElementById('search-suggestions');
if (searchBox && suggestions) {
  let timer;
  let last = '';
  searchBox.addEventListener('input', () => {
    clearTimeout(timer);
    const q = searchBox.value.trim();
    if (q.length < 2 || q === last) return;
    timer = setTimeout(async () => {
      last = q;
      try {
        const res = await api('/api/v1/search/suggest?' + new URLSearchParams({ q, limit: '8' }));
        suggestions.replaceChildren(...res.items.map((s) => el('option', { value: s })));
      } catch (e) { /* suggestions are a nicety; searching still works */ }
    }, 150);
  });
}

// The account menu closes when you click elsewhere or press Escape, like other menus.
const menu = document.getElementById('account-menu');
if (menu) {
  document.addEventListener('click', (e) => { if (menu.open && !menu.contains(e.target)) menu.open = false; });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); }
  });
}

// The header's sign-out button, present on every page for a signed-in person.
document.getElementById('sign-out')?.addEventListener('click', async () => {
  try {
    await api('/api/v1/auth/session', { method: 'DELETE' });
  } finally {
    location.assign('/');
  }
});
