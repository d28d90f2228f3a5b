// The watch page's part of moderation: a Report button (reason, note, and the moment in the
// video), and a click-through over a video marked sensitive or age-restricted.
import { api, el, formatDuration, page, signIn, toast } from './app.js';

const video = page.video;
const player = document.getElementById('player');

async function flags() {
  try {
    const res = await api('/api/v1/moderation/flags?ids=' + encodeURIComponent(video.id));
    return res.items[video.id] || null;
  } catch (e) {
    return null;
  }
}

function clickThrough(f) {
  const media = document.getElementById('video');
  const label = f.age_restricted ? 'This video is age-restricted: it may be inappropriate for viewers under 18.'
    : 'This video may show sensitive content.';
  const cover = el('div', { class: 'sensitive-cover', id: 'sensitive-cover', role: 'dialog', 'aria-label': 'Content warning' },
    el('p', { text: label }),
    el('button', { type: 'button', class: 'button primary', id: 'sensitive-continue', text: 'I understand, show it' }));
  const hold = () => { if (!cover.isConnected) return; media.pause(); };
  media.addEventListener('play', hold);
  cover.querySelector('button').addEventListener('click', () => {
    cover.remove();
    media.removeEventListener('play', hold);
    media.play().catch(() => {});
  });
  player.append(cover);
  media.pause();
}

function reportDialog() {
  const dialog = el('dialog', { id: 'report-dialog', 'aria-labelledby': 'report-title' });
  const reason = el('select', { id: 'report-reason', name: 'reason', required: true, 'aria-label': 'Reason' });
  const note = el('textarea', { id: 'report-note', rows: '3', maxlength: '2000', placeholder: 'What is wrong (optional)' });
  const at = el('input', { type: 'checkbox', id: 'report-at', checked: true });
  const atLabel = el('span', { id: 'report-at-label' });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = el('form', { method: 'dialog' },
    el('h2', { id: 'report-title', text: 'Report this video' }),
    el('label', { for: 'report-reason', text: 'Reason' }), reason,
    el('label', { for: 'report-note', text: 'Details' }), note,
    el('label', { class: 'check-label' }, at, atLabel),
    error,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'button', text: 'Cancel', onclick: () => dialog.close() }),
      el('button', { type: 'submit', class: 'button primary', id: 'report-submit', text: 'Report' })));
  dialog.append(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const body = { kind: 'video', item_id: video.id, reason: reason.value, note: note.value };
    if (at.checked) body.at_seconds = Math.floor(document.getElementById('video').currentTime || 0);
    try {
      await api('/api/v1/reports', { method: 'POST', body });
      dialog.close();
      toast('Thanks: moderators will review it. You will see the outcome under your reports.');
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
  document.body.append(dialog);
  return { dialog, reason, atLabel };
}

/** Beside the share link rather than among the action buttons, which must fit a phone's width. */
async function initReport() {
  const actions = document.querySelector('.share');
  if (!actions || !page.user || page.user.id === video.owner_id) {
    if (actions && !page.user) actions.append(el('button', { type: 'button', class: 'link-button report-link', id: 'report', text: 'Report', onclick: signIn }));
    return;
  }
  const ui = reportDialog();
  const button = el('button', { type: 'button', class: 'link-button report-link', id: 'report', text: 'Report' });
  button.addEventListener('click', async () => {
    if (!ui.reason.options.length) {
      const reasons = await api('/api/v1/reports/reasons');
      ui.reason.replaceChildren(...reasons.map((r) => el('option', { value: r.value, text: r.label })));
    }
    ui.atLabel.textContent = 'At ' + formatDuration(document.getElementById('video').currentTime || 0) + ' in the video';
    ui.dialog.showModal();
  });
  actions.append(button);
}

if (video && !page.embed) initReport();
if (video) flags().then((f) => { if (f && (f.sensitive || f.age_restricted)) clickThrough(f); });
