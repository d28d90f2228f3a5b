// A live's chat: the last messages, then new ones and deletions over SSE; writing for signed-in
// viewers; the streamer and moderators delete messages and time people out from the list.
import { api, el, page } from './app.js';

const list = document.getElementById('live-chat-list');
const form = document.getElementById('live-chat-form');
const input = document.getElementById('live-chat-input');
const error = document.getElementById('live-chat-error');
const me = page.user;

function row(m, liveId, canModerate) {
  const actions = [];
  if (canModerate && m.author_id !== me?.id) {
    actions.push(el('button', { type: 'button', class: 'link-button', onclick: () => api(`/api/v1/lives/${liveId}/chat/${m.id}`, { method: 'DELETE' }) }, 'Delete'));
    actions.push(el('button', { type: 'button', class: 'link-button', onclick: () => api(`/api/v1/lives/${liveId}/chat/timeouts`,
      { method: 'POST', body: { user_id: m.author_id, seconds: 300 } }) }, 'Time out 5 min'));
  }
  return el('li', { class: 'chat-message', 'data-id': String(m.id) }, el('strong', {}, m.author), ' ', m.body, ' ', ...actions);
}

export async function startChat(liveId) {
  let live;
  try {
    live = await api('/api/v1/lives/' + encodeURIComponent(liveId));
  } catch {
    return;
  }
  const canModerate = !!me && (me.id === live.owner_id);
  const history = await api(`/api/v1/lives/${encodeURIComponent(liveId)}/chat`);
  list.replaceChildren(...history.items.map((m) => row(m, liveId, canModerate)));
  const slow = document.getElementById('live-chat-slow');
  if (history.slow_mode_seconds > 0) {
    slow.textContent = `Slow mode: one message every ${history.slow_mode_seconds} s.`;
    slow.hidden = false;
  }
  if (live.state === 'live') {
    if (me) form.hidden = false; else document.getElementById('live-chat-signin').hidden = false;
    const events = new EventSource(`/api/v1/lives/${encodeURIComponent(liveId)}/chat/stream`);
    events.addEventListener('message', (e) => {
      list.append(row(JSON.parse(e.data), liveId, canModerate));
      list.scrollTop = list.scrollHeight;
    });
    events.addEventListener('deleted', (e) => {
      list.querySelector(`[data-id="${JSON.parse(e.data).id}"]`)?.remove();
    });
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    try {
      await api(`/api/v1/lives/${encodeURIComponent(liveId)}/chat`, { method: 'POST', body: { body: input.value } });
      input.value = '';
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
}
