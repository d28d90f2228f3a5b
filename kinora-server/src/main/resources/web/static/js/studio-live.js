// Studio's "Go live" panel: the RTMP server URL and stream key for OBS (shown on request,
// copied, regenerated, which revokes the old key), the next live's title, replays on or off,
// SRT on or off (its URL carries the key as passphrase), and while live: a link to the live page
// and the ingest's health. Scheduling lives ahead is studio-schedule.js.
import { api, el, toast } from './app.js';

const root = document.getElementById('studio-live');
let timer = null;

function field(label, value, { secret = false } = {}) {
  const input = el('input', { type: secret ? 'password' : 'text', value, readonly: '', class: 'live-field', 'aria-label': label });
  const copy = el('button', { type: 'button', class: 'button' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast(label + ' copied');
    } catch {
      input.type = 'text';
      input.select();
    }
  });
  const parts = [el('label', {}, label), input, copy];
  if (secret) {
    const show = el('button', { type: 'button', class: 'button' }, 'Show');
    show.addEventListener('click', () => {
      input.type = input.type === 'password' ? 'text' : 'password';
      show.textContent = input.type === 'password' ? 'Show' : 'Hide';
    });
    parts.splice(2, 0, show);
  }
  return el('div', { class: 'live-row' }, ...parts);
}

function render(s) {
  const title = el('input', { id: 'live-next-title', value: s.title, maxlength: '200', placeholder: 'Title of your next live' });
  const replays = el('input', { type: 'checkbox', id: 'live-replays' });
  replays.checked = s.replays;
  const save = el('button', { type: 'button', class: 'button' }, 'Save');
  save.addEventListener('click', async () => {
    try {
      render(await api('/api/v1/me/live', { method: 'PATCH', body: { title: title.value, replays: replays.checked } }));
      toast('Live settings saved');
    } catch (e) { toast(e.message); }
  });
  const regenerate = el('button', { type: 'button', class: 'button danger', id: 'live-regenerate' }, 'Regenerate key');
  regenerate.addEventListener('click', async () => {
    if (!confirm('The current key stops working, and an encoder using it is disconnected. Continue?')) return;
    try {
      render(await api('/api/v1/me/live/key', { method: 'POST' }));
      toast('New stream key made; the old one is revoked');
    } catch (e) { toast(e.message); }
  });
  const status = [];
  if (s.live) {
    status.push(el('p', {}, el('strong', { class: 'badge live-badge' }, 'LIVE'), ' ',
      el('a', { href: s.live.page_url }, s.live.title), ` · ${s.live.viewers} watching`,
      s.live.publisher_connected ? '' : ' · encoder disconnected, waiting for it to come back'));
    if (s.health) {
      const h = s.health;
      status.push(el('p', { class: 'muted', id: 'live-health' },
        `${Math.round(h.bitrate_kbps)} kb/s · ${h.frame_rate} fps · keyframe every ${h.keyframe_interval_seconds || '?'} s`
        + (h.dropped_renditions.length ? ` · dropped (too slow): ${h.dropped_renditions.join(', ')}` : '')));
      if (h.warning) status.push(el('p', { class: 'notice' }, h.warning));
    }
  } else {
    status.push(el('p', { class: 'muted' }, 'Not live. In OBS: Settings → Stream → Service "Custom", then the server and key below.'));
  }
  const srt = [];
  if (s.srt_available) {
    const toggle = el('button', { type: 'button', class: 'button', id: 'live-srt' }, s.srt_url ? 'Turn SRT off' : 'Use SRT (UDP)');
    toggle.addEventListener('click', async () => {
      try {
        render(await api('/api/v1/me/live/srt', { method: s.srt_url ? 'DELETE' : 'PUT' }));
      } catch (e) { toast(e.message); }
    });
    if (s.srt_url) srt.push(field('SRT server (OBS: leave the key empty)', s.srt_url, { secret: true }));
    srt.push(el('div', { class: 'live-row' }, toggle));
  }
  root.replaceChildren(el('h2', { id: 'studio-live-title' }, 'Go live'), ...status,
    field('Server', s.server_url), field('Stream key', s.stream_key, { secret: true }), ...srt,
    el('div', { class: 'live-row' }, el('label', { for: 'live-next-title' }, 'Title'), title),
    el('div', { class: 'live-row' }, replays, el('label', { for: 'live-replays' }, 'Keep the replay as a video')),
    el('div', { class: 'live-row' }, save, regenerate));
  clearTimeout(timer);
  timer = setTimeout(refresh, s.live ? 5000 : 15000);
}

async function refresh() {
  // Someone typing in the panel keeps what they typed; the status catches up at the next turn.
  if (root.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') {
    timer = setTimeout(refresh, 5000);
    return;
  }
  try {
    render(await api('/api/v1/me/live'));
  } catch (e) {
    root.hidden = true;
  }
}

refresh();
