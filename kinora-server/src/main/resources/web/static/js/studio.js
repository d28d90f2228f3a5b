// Studio: the creator's own videos with live status, inline edits and deletion with confirmation.
import { api, el, formatCount, formatDate, formatDuration, setProgress, toast } from './app.js';
import './studio-tools.js';
import './standing.js';
import './my-reports.js';
import './studio-live.js';
import './studio-schedule.js';

const list = document.getElementById('studio-list');
const editDialog = document.getElementById('edit-dialog');
const editForm = document.getElementById('edit-form');
const deleteDialog = document.getElementById('delete-dialog');
let editing = null;
let deleting = null;
let refreshTimer = null;

async function refresh() {
  clearTimeout(refreshTimer);
  try {
    const page = await api('/api/v1/users/me/videos');
    list.replaceChildren(...page.items.map(row));
    document.getElementById('studio-empty').hidden = page.items.length > 0;
    // While anything is still uploading or processing, keep the statuses live.
    if (page.items.some((v) => v.status === 'uploading' || v.status === 'processing' || (v.status === 'ready' && v.progress < 100))) {
      refreshTimer = setTimeout(refresh, 2000);
    }
  } catch (e) {
    toast(e.message);
  }
}

function row(v) {
  const processing = v.status === 'processing' || (v.status === 'ready' && v.progress < 100);
  const bar = el('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Processing progress',
    'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' }, el('div', { class: 'progress-fill' }));
  setProgress(bar, v.progress);
  const stats = [formatDate(v.created_at)];
  if (v.duration_seconds) stats.push(formatDuration(v.duration_seconds));
  if (typeof v.view_count === 'number') stats.push(formatCount(v.view_count, 'view'));
  return el('li', { class: 'studio-item card', 'data-video-id': v.id },
    el('a', { class: 'thumb', href: '/watch/' + encodeURIComponent(v.id), 'aria-label': 'Watch ' + v.title },
      v.playback?.poster ? el('img', { src: v.playback.poster, alt: '', loading: 'lazy' }) : null),
    el('div', {},
      el('h2', {}, el('a', { href: '/watch/' + encodeURIComponent(v.id), text: v.title })),
      el('p', { class: 'meta' },
        el('span', { class: 'badge ' + v.status, text: v.status === 'ready' && v.progress < 100 ? 'playable' : v.status }),
        el('span', { class: 'badge', text: v.privacy }),
        el('span', { text: stats.join(' · ') })),
      processing ? el('p', { class: 'meta' }, bar, el('span', { text: v.progress + ' %' })) : null,
      v.status === 'failed' ? el('p', { class: 'reason', role: 'note', text: v.failure_reason || 'Processing failed.' }) : null),
    el('div', { class: 'item-actions actions' },
      el('button', { type: 'button', class: 'button', onclick: () => openEdit(v), text: 'Edit', 'aria-label': 'Edit ' + v.title }),
      el('button', { type: 'button', class: 'button', onclick: () => openDelete(v), text: 'Delete', 'aria-label': 'Delete ' + v.title })));
}

function openEdit(v) {
  editing = v;
  editForm.title.value = v.title;
  editForm.description.value = v.description || '';
  editForm.privacy.value = v.privacy;
  document.getElementById('edit-error').hidden = true;
  loadPlaybackSettings(v);
  editDialog.showModal();
}

// Age restriction and protection (issue 17): shown once read, so a click made before cannot be overwritten by the load.
async function loadPlaybackSettings(v) {
  const box = document.getElementById('edit-playback');
  box.disabled = true;
  try {
    const s = await api('/api/v1/videos/' + encodeURIComponent(v.id) + '/playback-settings');
    if (editing !== v) return;
    editForm.age_restricted.checked = s.age_restricted;
    editForm.protected.checked = s.protected;
    editForm.protected.disabled = !s.protection_available && !s.protected;
    document.getElementById('edit-age-moderator').hidden = !s.age_restricted_by_moderator;
    box.dataset.loaded = 'true';
    box.disabled = false;
  } catch (e) { /* the rest of the form still works */ }
}

editForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('edit-error');
  try {
    await api('/api/v1/videos/' + encodeURIComponent(editing.id), { method: 'PATCH',
      body: { title: editForm.title.value, description: editForm.description.value, privacy: editForm.privacy.value } });
    if (!document.getElementById('edit-playback').disabled) {
      await api('/api/v1/videos/' + encodeURIComponent(editing.id) + '/playback-settings', { method: 'PUT',
        body: { age_restricted: editForm.age_restricted.checked, protected: editForm.protected.checked } });
    }
    editDialog.close();
    toast('Saved.');
    refresh();
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  }
});
document.getElementById('edit-cancel').addEventListener('click', () => editDialog.close());

function openDelete(v) {
  deleting = v;
  document.getElementById('delete-name').textContent = v.title;
  deleteDialog.showModal();
}
document.getElementById('delete-cancel').addEventListener('click', () => deleteDialog.close());
document.getElementById('delete-confirm').addEventListener('click', async () => {
  try {
    await api('/api/v1/videos/' + encodeURIComponent(deleting.id), { method: 'DELETE' });
    deleteDialog.close();
    toast('Deleted.');
    refresh();
  } catch (err) {
    deleteDialog.close();
    toast(err.message);
  }
});

refresh();

// The viewer's date of birth (age-restricted videos).
const birthForm = document.getElementById('birth-date-form');
if (birthForm) {
  api('/api/v1/me/birth-date').then((b) => {
    birthForm.birth_date.value = b.birth_date || '';
    birthForm.birth_date.disabled = false;
    document.getElementById('birth-date-save').disabled = false;
  }).catch(() => {});
  birthForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const error = document.getElementById('birth-date-error');
    try {
      await api('/api/v1/me/birth-date', { method: 'PUT', body: { birth_date: birthForm.birth_date.value || null } });
      error.hidden = true;
      toast('Saved.');
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
}
