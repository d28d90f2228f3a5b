// Studio's "Scheduled lives": create a live ahead (title, description, start time, thumbnail).
// Its page (/live/{id}) exists at once, upcoming with a countdown; the channel's next publish
// (from an hour before the time on) starts it there. Upcoming lives are listed with a cancel button.
import { api, el, toast } from './app.js';

const list = document.getElementById('studio-schedule-list');
const form = document.getElementById('studio-schedule-form');
const submit = document.getElementById('schedule-submit');
const error = document.getElementById('schedule-error');

async function putThumbnail(id, file) {
  const res = await fetch(`/api/v1/me/lives/${encodeURIComponent(id)}/thumbnail`, { method: 'PUT', credentials: 'same-origin',
    headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' }, body: file });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(json?.message || `The thumbnail could not be saved (${res.status}).`);
}

async function load() {
  const r = await api('/api/v1/me/lives');
  list.replaceChildren(...r.items.map((l) => {
    const cancel = el('button', { type: 'button', class: 'link-button' }, 'Cancel');
    cancel.addEventListener('click', async () => {
      if (!confirm(`Cancel "${l.title}"? Its page goes away.`)) return;
      try {
        await api(`/api/v1/me/lives/${encodeURIComponent(l.id)}`, { method: 'DELETE' });
        await load();
      } catch (e) { toast(e.message); }
    });
    return el('li', { 'data-id': l.id }, el('a', { href: l.page_url }, l.title), ' · ',
      new Date(l.scheduled_for).toLocaleString(), ' ', cancel);
  }));
  list.dataset.loaded = 'true'; // read by the browser tests
  submit.disabled = false;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.hidden = true;
  submit.disabled = true;
  try {
    const when = new Date(document.getElementById('schedule-starts').value);
    const live = await api('/api/v1/me/lives', { method: 'POST', body: { title: document.getElementById('schedule-title').value,
      description: document.getElementById('schedule-description').value, starts_at: when.toISOString() } });
    const file = document.getElementById('schedule-thumbnail').files[0];
    if (file) await putThumbnail(live.id, file);
    form.reset();
    toast('Scheduled: its page is ' + live.page_url);
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  }
  await load().catch(() => {});
});

load().catch(() => { document.getElementById('studio-schedule').hidden = true; });
