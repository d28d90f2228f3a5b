// Watch and embed pages: play a ready video at once; for one still processing, show live
// progress and start playing the moment its first quality is ready.
import { api, formatCount, formatDate, formatDuration, page, setProgress, videoCard } from './app.js';
import { Player, PlayReporter } from './player.js';
import { initEngagement } from './engagement.js';
import { initCaptionsAndChapters } from './watch-captions.js';
import { followLadder } from './ladder-growth.js';
import { initReplayChat } from './watch-live-chat.js';
import './moderation-watch.js';

const root = document.getElementById('player');
const player = new Player(root, page.player);
window.kinoraPlayer = player; // for the browser tests and the curious
let video = page.video;
new PlayReporter(player.video, video.id);
initCaptionsAndChapters(player, video);

const date = document.getElementById('video-date');
if (date) date.textContent = formatDate(video.published_at || video.created_at);
const views = document.getElementById('video-views');
if (views) views.textContent = formatCount(video.view_count, 'view');
if (!page.embed) initEngagement(video, page.channel);
// A live's replay keeps its chat (for another video the answer is empty and the panel stays hidden).
if (!page.embed) initReplayChat(player.video, video.id);
const privacy = document.getElementById('video-privacy');
if (privacy && video.privacy !== 'public') {
  privacy.textContent = video.privacy;
  privacy.hidden = false;
}

// Related videos beside the player (below it on a phone).
const related = document.getElementById('related');
if (related) {
  api('/api/v1/videos/' + encodeURIComponent(video.id) + '/related?limit=12').then((res) => {
    related.replaceChildren(...res.items.map((v) => videoCard(v)));
    related.closest('aside').hidden = res.items.length === 0;
  }).catch(() => { related.closest('aside').hidden = true; });
}

// DASH: a static MPD cannot grow, so the DASH player waits for the finished ladder.
const playableNow = (v) => v.status === 'ready' && v.playback && (page.player === 'hls' || v.progress >= 100);

if (video.playback?.refusal) {
  // Age-restricted (issue 17): no playback link was made for this viewer; say what would let them watch.
  showAgeRefusal(video.playback.refusal);
} else if (playableNow(video)) {
  player.load(video.playback, { startAt: resumeAt(video), growing: video.progress < 100 });
  followLadder(player, video);
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
    label.textContent = s.status === 'uploading' ? 'Waiting for the upload to finish…'
      : s.status === 'ready' ? `DASH playback starts when processing finishes, shortly… ${s.progress} %` : `Processing… ${s.progress} %`;
    if (s.status === 'failed' || s.status === 'deleted') {
      events.close();
      panel.hidden = true;
      player.showError(s.failure_reason || 'This video was deleted.');
    } else if (s.status === 'ready' && (page.player === 'hls' || s.progress >= 100)) {
      events.close();
      video = await api('/api/v1/videos/' + encodeURIComponent(video.id));
      panel.hidden = true;
      player.load(video.playback, { growing: video.progress < 100 });
      followLadder(player, video);
    }
  });
}

/** Where a signed-in viewer stopped last time, unless that was (almost) the end; says so on the player. */
function resumeAt(v) {
  const at = v.resume_position_seconds;
  if (!at || at < 1 || (v.duration_seconds && at > v.duration_seconds - 2)) return null;
  const pill = document.getElementById('resume-pill');
  if (pill) {
    pill.textContent = 'Resuming from ' + formatDuration(at);
    pill.hidden = false;
    setTimeout(() => { pill.hidden = true; }, 5000);
  }
  return at;
}

// Playlist playback (?list=): the playlist's name beside the player, and the next video at the end.
if (page.list && !page.embed) {
  const list = encodeURIComponent(page.list);
  const panel = document.getElementById('playlist-panel');
  Promise.all([api('/api/v1/playlists/' + list), api('/api/v1/playlists/' + list + '/next?after=' + encodeURIComponent(video.id))])
    .then(([playlist, next]) => {
      const link = document.getElementById('playlist-panel-link');
      link.textContent = playlist.title;
      link.href = '/playlist/' + encodeURIComponent(playlist.id);
      document.getElementById('playlist-panel-next').textContent = next.next ? 'Up next: ' + next.next.video.title : 'Last video in the playlist';
      panel.hidden = false;
      if (next.next) {
        player.video.addEventListener('ended', () => {
          location.assign('/watch/' + encodeURIComponent(next.next.video.id) + '?list=' + list);
        });
      }
    }).catch(() => { /* the video still plays on its own */ });
}

function showAgeRefusal(refusal) {
  player.showError(refusal.message);
  const err = document.getElementById('player-error');
  err.dataset.code = refusal.code;
  const next = refusal.code === 'age_restricted_sign_in' ? ['/signin?next=' + encodeURIComponent(location.pathname), 'Sign in']
    : refusal.code === 'age_restricted_birth_date_missing' ? ['/studio#birth-date-form', 'Add your date of birth'] : null;
  if (next) {
    const a = document.createElement('a');
    a.href = next[0];
    a.textContent = next[1];
    a.className = 'button';
    err.append(' ', a);
  }
}
