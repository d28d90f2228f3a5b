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

let liveId = null; // the live the form writes to (a permanent live page moves on to the next live)
let events = null;

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

/** Shows the chat of this live (replacing the one shown before, if any). */
export async function startChat(id) {
  events?.close();
  events = null;
  liveId = id;
  let live;
  try {
    live = await api('/api/v1/lives/' + encodeURIComponent(id));
  } catch {
    return;
  }
  const canModerate = !!me && (me.id === live.owner_id);
  const history = await api(`/api/v1/lives/${encodeURIComponent(id)}/chat`);
  if (liveId !== id) return;
  list.replaceChildren(...history.items.map((m) => row(m, id, canModerate)));
  const slow = document.getElementById('live-chat-slow');
  slow.hidden = !(history.slow_mode_seconds > 0);
  if (history.slow_mode_seconds > 0) slow.textContent = `Slow mode: one message every ${history.slow_mode_seconds} s.`;
  const open = live.state === 'live';
  form.hidden = !(open && me);
  document.getElementById('live-chat-signin').hidden = !(open && !me);
  if (open) {
    events = new EventSource(`/api/v1/lives/${encodeURIComponent(id)}/chat/stream`);
    events.addEventListener('message', (e) => {
      list.append(row(JSON.parse(e.data), id, canModerate));
      list.scrollTop = list.scrollHeight;
    });
    events.addEventListener('deleted', (e) => {
      list.querySelector(`[data-id="${JSON.parse(e.data).id}"]`)?.remove();
    });
  }
}
