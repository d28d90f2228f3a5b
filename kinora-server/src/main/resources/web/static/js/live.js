// The page of a live: hls.js in low-latency mode (parts, blocking reload, preload hints), the
// live's state and viewer count every few seconds, and a link to the replay once it ended.
import { api, page } from './app.js';
import { startChat } from './live-chat.js';

const id = page.live_id;
const video = document.getElementById('live-video');
const stateEl = document.getElementById('live-state');
const viewersEl = document.getElementById('live-viewers');
const latencyEl = document.getElementById('live-latency');
let hls = null;

function start(live) {
  if (hls || live.state !== 'live') return;
  if (window.Hls && Hls.isSupported()) {
    hls = new Hls({ lowLatencyMode: true, backBufferLength: 30 });
    window.kinoraLive = { hls, video }; // read by the browser tests (latency)
    hls.loadSource(live.hls_url);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => hls.startLoad(), 1000);
      else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    });
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = live.hls_url; // Safari plays LL-HLS natively
    video.play().catch(() => {});
  }
}

function show(live) {
  document.getElementById('live-title').textContent = live.title;
  document.title = live.title + ' · Kinora';
  stateEl.textContent = live.state === 'live' ? 'LIVE' : 'Ended';
  stateEl.dataset.state = live.state;
  viewersEl.textContent = live.state === 'live' ? `${live.viewers} watching` : '';
  if (live.state !== 'live') {
    document.getElementById('live-ended').hidden = false;
    if (live.replay_video_id) {
      const a = document.getElementById('live-replay');
      a.href = '/watch/' + encodeURIComponent(live.replay_video_id);
      a.hidden = false;
    }
  }
}

async function refresh() {
  try {
    const live = await api('/api/v1/lives/' + encodeURIComponent(id));
    show(live);
    start(live);
    if (hls && hls.latency > 0) latencyEl.textContent = `${hls.latency.toFixed(1)} s behind live`;
    if (live.state !== 'live' && live.replay_video_id) return;
  } catch (e) {
    stateEl.textContent = e.status === 404 ? 'No such live' : 'Unavailable';
  }
  setTimeout(refresh, 5000);
}

startChat(id);
refresh();
