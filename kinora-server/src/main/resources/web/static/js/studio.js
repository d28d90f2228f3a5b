// Studio: the creator's own videos with live status, inline edits and deletion with confirmation.
import { api, el, formatCount, formatDate, formatDuration, setProgress, toast } from './app.js';
import './studio-tools.js';
import './standing.js';
import './my-reports.js';
import './studio-live.js';

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
  editDialog.showModal();
}

editForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('edit-error');
  try {
    await api('/api/v1/videos/' + encodeURIComponent(editing.id), { method: 'PATCH',
      body: { title: editForm.title.value, description: editForm.description.value, privacy: editForm.privacy.value } });
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
