// The page of a live: hls.js in low-latency mode (parts, blocking reload, preload hints), the
// live's state and viewer count every few seconds, and a link to the replay once it ended.
// An upcoming live shows its thumbnail, description and a countdown, and switches to the player
// when the stream starts (the page asks every 2 s; no reload). A channel's permanent live page
// (/live/@handle) follows the channel from one live to the next: the same URL for every session.
import { api, page } from './app.js';
import { startChat } from './live-chat.js';

const ref = page.live_id;
const permanent = ref.startsWith('@');
const video = document.getElementById('live-video');
const stateEl = document.getElementById('live-state');
const viewersEl = document.getElementById('live-viewers');
const latencyEl = document.getElementById('live-latency');
const upcomingEl = document.getElementById('live-upcoming');
const countdownEl = document.getElementById('live-countdown');
let hls = null;
let shownId = null; // the live whose player and chat are on the page
let startsAt = null;

function stopPlayer() {
  if (hls) hls.destroy();
  hls = null;
  video.removeAttribute('src');
}

function start(live) {
  if (hls || live.state !== 'live') return;
  if (window.Hls && Hls.isSupported()) {
    hls = new Hls({ lowLatencyMode: true, backBufferLength: 30 });
    window.kinoraLive = { hls, video }; // read by the browser tests (latency)
    hls.loadSource(live.hls_url);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => hls?.startLoad(), 1000);
      else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    });
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = live.hls_url; // Safari plays LL-HLS natively
    video.play().catch(() => {});
  }
}

function tick() {
  if (!startsAt) return;
  const s = Math.round((startsAt - Date.now()) / 1000);
  if (s <= 0) { countdownEl.textContent = 'Starting soon…'; return; }
  const d = Math.floor(s / 86400);
  const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  countdownEl.textContent = 'Starts in ' + (d > 0 ? `${d} d ` : '') + hms;
}
setInterval(tick, 1000);

function show(live) {
  document.getElementById('live-title').textContent = live.title;
  document.title = live.title + ' · Kinora';
  const labels = { live: 'LIVE', upcoming: 'Upcoming', ended: 'Ended', offline: 'Offline' };
  stateEl.textContent = labels[live.state] || live.state;
  stateEl.dataset.state = live.state;
  viewersEl.textContent = live.state === 'live' ? `${live.viewers} watching` : '';
  upcomingEl.hidden = live.state !== 'upcoming' && live.state !== 'offline';
  document.getElementById('live-player').hidden = live.state === 'upcoming' || live.state === 'offline';
  document.getElementById('live-chat').hidden = live.state === 'offline';
  startsAt = live.state === 'upcoming' && live.scheduled_for ? Date.parse(live.scheduled_for) : null;
  countdownEl.textContent = live.state === 'offline' ? 'Not live now. This page shows the next live when it starts.' : '';
  tick();
  document.getElementById('live-description').textContent = live.description || '';
  const thumb = document.getElementById('live-thumbnail');
  thumb.hidden = !live.thumbnail_url;
  if (live.thumbnail_url) thumb.src = live.thumbnail_url;
  const ended = document.getElementById('live-ended');
  ended.hidden = live.state !== 'ended' && !(live.state === 'offline' && live.replay_video_id);
  const a = document.getElementById('live-replay');
  a.hidden = !live.replay_video_id;
  if (live.replay_video_id) a.href = '/watch/' + encodeURIComponent(live.replay_video_id);
  document.body.dataset.liveState = live.state; // read by the browser tests
}

async function load() {
  if (!permanent) return api('/api/v1/lives/' + encodeURIComponent(ref));
  const c = await api(`/api/v1/channels/${encodeURIComponent(ref)}/live`);
  if (c.live) return c.live;
  if (c.upcoming.length) return c.upcoming[0];
  const last = c.recent[0];
  return { id: null, state: 'offline', title: c.display_name, description: '', replay_video_id: last?.replay_video_id || null };
}

async function refresh() {
  let live = null;
  try {
    live = await load();
    if (live.id !== shownId || (live.state === 'live' && !hls)) {
      if (live.id !== shownId) {
        stopPlayer();
        shownId = live.id;
        if (live.id) startChat(live.id);
      } else if (live.state === 'live') {
        startChat(live.id); // the upcoming live started: its chat opens
      }
    }
    show(live);
    start(live);
    if (hls && hls.latency > 0) latencyEl.textContent = `${hls.latency.toFixed(1)} s behind live`;
    if (!permanent && live.state === 'ended' && live.replay_video_id) return;
  } catch (e) {
    stateEl.textContent = e.status === 404 ? 'No such live' : 'Unavailable';
  }
  const waiting = !live || live.state === 'upcoming' || live.state === 'offline';
  setTimeout(refresh, waiting ? 2000 : 5000);
}

refresh();
