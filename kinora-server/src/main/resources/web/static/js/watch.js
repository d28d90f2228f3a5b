// Watch and embed pages: play a ready video at once; for one still processing, show live
// progress and start playing the moment its first quality is ready.
import { api, formatDate, page, setProgress, videoCard } from './app.js';
import { Player } from './player.js';

const root = document.getElementById('player');
const player = new Player(root, page.player);
window.kinoraPlayer = player; // for the browser tests and the curious
let video = page.video;

const date = document.getElementById('video-date');
if (date) date.textContent = formatDate(video.published_at || video.created_at);
const privacy = document.getElementById('video-privacy');
if (privacy && video.privacy !== 'public') {
  privacy.textContent = video.privacy;
  privacy.hidden = false;
}

// Related videos beside the player (below it on a phone).
const related = document.getElementById('related');
if (related) {
  api('/api/v1/videos/' + encodeURIComponent(video.id) + '/related?limit=12').then((res) => {
    related.replaceChildren(...res.items.map(videoCard));
    related.closest('aside').hidden = res.items.length === 0;
  }).catch(() => { related.closest('aside').hidden = true; });
}

if (video.status === 'ready' && video.playback) {
  player.load(video.playback);
} else if (video.status === 'failed') {
  player.showError(video.failure_reason || 'This video could not be processed.');
} else {
  waitUntilPlayable();
}

function waitUntilPlayable() {
  root.dataset.state = 'processing';
  const panel = document.getElementById('player-processing');
  const label = document.getElementById('player-processing-label');
  panel.hidden = false;
  const events = new EventSource('/api/v1/videos/' + encodeURIComponent(video.id) + '/events');
  events.addEventListener('status', async (e) => {
    const s = JSON.parse(e.data);
    setProgress(document.getElementById('player-processing-progress'), s.progress);
    label.textContent = s.status === 'uploading' ? 'Waiting for the upload to finish…' : `Processing… ${s.progress} %`;
    if (s.status === 'failed' || s.status === 'deleted') {
      events.close();
      panel.hidden = true;
      player.showError(s.failure_reason || 'This video was deleted.');
    } else if (s.status === 'ready') {
      events.close();
      video = await api('/api/v1/videos/' + encodeURIComponent(video.id));
      panel.hidden = true;
      player.load(video.playback);
    }
  });
}
