// Shared by every page: page data, the API client, small DOM and formatting helpers, sign-out.

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

/** A card for the video grid: poster, duration, title, channel, views and age. */
export function videoCard(v) {
  const poster = v.playback?.poster;
  const stats = [];
  if (typeof v.view_count === 'number') stats.push(formatCount(v.view_count, 'view'));
  stats.push(formatAge(v.published_at || v.created_at));
  return el('li', { class: 'video-card' },
    el('a', { href: '/watch/' + encodeURIComponent(v.id) },
      el('div', { class: 'thumb' },
        poster ? el('img', { src: poster, alt: '', loading: 'lazy', decoding: 'async' }) : null,
        v.duration_seconds ? el('span', { class: 'duration', 'aria-label': 'Duration ' + formatDuration(v.duration_seconds) },
          formatDuration(v.duration_seconds)) : null),
      el('h2', { text: v.title }),
      el('p', { class: 'meta channel', text: v.channel?.name || '' }),
      el('p', { class: 'meta', text: stats.join(' · ') })));
}

/** Renders a list of videos as grid cards into {@code list}; returns how many. */
export function fillGrid(list, videos) {
  list.replaceChildren(...videos.map(videoCard));
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

// The header's sign-out button, present on every page for a signed-in person.
document.getElementById('sign-out')?.addEventListener('click', async () => {
  try {
    await api('/api/v1/auth/session', { method: 'DELETE' });
  } finally {
    location.assign('/');
  }
});
