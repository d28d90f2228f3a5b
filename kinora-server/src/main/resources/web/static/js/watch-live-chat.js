// A live's replay: the chat written during the live, shown in time with playback (each message
// at its offset from the live's start: the moment of the recording it was written at).
import { api, el } from './app.js';

const MAX_MESSAGES = 20000; // a page holds at most this many (pages of 500 from the API)

function clock(ms) {
  const s = Math.floor(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] ? hms[0] + ':' : '') + String(hms[1]).padStart(hms[0] ? 2 : 1, '0') + ':' + String(hms[2]).padStart(2, '0');
}

export async function initReplayChat(media, videoId) {
  const panel = document.getElementById('replay-chat');
  if (!panel) return;
  const messages = [];
  let liveId = null;
  try {
    let from = 0;
    for (;;) {
      const r = await api(`/api/v1/videos/${encodeURIComponent(videoId)}/live-chat` + (from ? `?from_ms=${from}` : ''));
      liveId = r.live_id;
      messages.push(...r.items);
      if (r.next_from_ms == null || messages.length >= MAX_MESSAGES) break;
      from = r.next_from_ms;
    }
  } catch {
    return;
  }
  if (!liveId) return; // not a live's replay
  const list = document.getElementById('replay-chat-list');
  panel.hidden = false;
  document.getElementById('replay-chat-empty').hidden = messages.length > 0;
  let shown = -1;
  // How many messages were written up to the playback position (messages are in offset order).
  const upTo = (ms) => {
    let lo = 0, hi = messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (messages[mid].offset_ms <= ms) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const sync = () => {
    const n = upTo(media.currentTime * 1000);
    if (n === shown) return;
    shown = n;
    list.replaceChildren(...messages.slice(Math.max(0, n - 100), n).map((m) => el('li', { class: 'chat-message', 'data-id': String(m.id) },
      el('span', { class: 'chat-time' }, clock(m.offset_ms)), el('strong', {}, m.author), ' ', m.body)));
    list.dataset.shown = String(n); // read by the browser tests
    list.scrollTop = list.scrollHeight;
  };
  media.addEventListener('timeupdate', sync);
  media.addEventListener('seeked', sync);
  sync();
}
