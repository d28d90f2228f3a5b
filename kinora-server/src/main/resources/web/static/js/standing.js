// Studio: the creator's standing (warnings, active strikes, a freeze) and every decision against
// them with its reason, each appealable once; a taken-down video's row in the list says so.
import { api, el, formatDate, toast } from './app.js';

const box = document.getElementById('standing');
const decisions = new Map(); // video id -> takedown decision, to mark the rows of the list below
const held = new Map(); // video id -> why it waits for a moderator before it is public

const LABELS = { remove: 'Removed', age_restrict: 'Age-restricted', mark_sensitive: 'Marked sensitive', warn: 'Warning',
  strike: 'Strike', suspend: 'Suspended' };

function summary(s) {
  if (s.terminated) return 'This channel was terminated.';
  const parts = [];
  if (s.active_strikes) parts.push(s.active_strikes + (s.active_strikes === 1 ? ' active strike' : ' active strikes') + ' (each expires after 90 days)');
  else if (s.warned) parts.push('You have had a warning; the next violation is a strike');
  if (s.frozen_until) parts.push('uploading and going live are paused until ' + formatDate(s.frozen_until));
  if (s.suspended_until) parts.push('suspended until ' + formatDate(s.suspended_until));
  return parts.length ? parts.join('; ') + '.' : 'Your channel is in good standing.';
}

function decision(a) {
  const what = (LABELS[a.action] || a.action) + (a.penalty && a.penalty !== 'suspension' && a.action !== 'warn' && a.action !== 'strike'
    ? ' with a ' + a.penalty : '');
  const appealBox = el('div', { class: 'appeal' });
  if (a.reverted_at) {
    appealBox.append(el('p', { class: 'ok', text: 'Undone on appeal' + (a.appeal?.decision_reason ? ': ' + a.appeal.decision_reason : '') + '.' }));
  } else if (a.appeal) {
    appealBox.append(el('p', { class: 'muted', 'data-role': 'appeal-status',
      text: a.appeal.status === 'open' ? 'Appeal sent ' + formatDate(a.appeal.created_at) + '; a moderator will review it.'
        : 'Appeal rejected' + (a.appeal.decision_reason ? ': ' + a.appeal.decision_reason : '') + '.' }));
  } else if (a.appealable) {
    const text = el('textarea', { rows: '2', maxlength: '2000', placeholder: 'Why is this decision wrong?', 'aria-label': 'Appeal message' });
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const send = el('button', { type: 'button', class: 'button primary', 'data-role': 'send-appeal', text: 'Send appeal' });
    const form = el('div', { class: 'appeal-form', hidden: true }, text, error, send);
    const open = el('button', { type: 'button', class: 'button', 'data-role': 'appeal', text: 'Appeal',
      onclick: () => { form.hidden = false; open.hidden = true; text.focus(); } });
    send.addEventListener('click', async () => {
      error.hidden = true;
      try {
        await api('/api/v1/me/moderation/actions/' + encodeURIComponent(a.id) + '/appeal', { method: 'POST', body: { message: text.value } });
        toast('Appeal sent.');
        load();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    });
    appealBox.append(open, form);
  }
  return el('li', { class: 'decision', 'data-action-id': a.id },
    el('p', {}, el('strong', { text: what }), a.item_title ? ' — ' + a.kind + ' “' + a.item_title + '”' : '',
      el('span', { class: 'muted', text: ' · ' + formatDate(a.created_at) })),
    el('p', { class: 'reason', role: 'note', text: 'Reason: ' + a.reason }),
    appealBox);
}

function markRows() {
  for (const row of document.querySelectorAll('.studio-item[data-video-id]')) {
    const h = held.get(row.dataset.videoId);
    if (h && !row.querySelector('.held-note')) {
      row.querySelector('div:not(.item-actions)')?.append(el('p', { class: 'muted held-note', role: 'note',
        text: 'Waiting for a moderator: only you see it until it is approved. ' + (h.reason || '') }));
    }
    const a = decisions.get(row.dataset.videoId);
    if (!a || row.querySelector('.takedown-note')) continue;
    row.querySelector('div:not(.item-actions)')?.append(el('p', { class: 'reason takedown-note', role: 'note',
      text: 'Taken down: ' + a.reason.replace(/[.\s]+$/, '') + '. Viewers cannot watch it; see “Channel standing” above to appeal.' }));
    row.querySelector('.thumb img')?.remove(); // its poster is withheld too
  }
}

async function load() {
  try {
    const s = await api('/api/v1/me/standing');
    decisions.clear();
    for (const a of s.actions) if (a.action === 'remove' && a.kind === 'video' && !a.reverted_at) decisions.set(a.item_id, a);
    held.clear();
    for (const h of s.held || []) held.set(h.video_id, h);
    const visible = s.actions.length > 0 || s.warned || s.active_strikes || s.terminated;
    box.hidden = !visible;
    box.replaceChildren(
      el('h2', { class: 'section-title', text: 'Channel standing' }),
      el('p', { id: 'standing-summary', text: summary(s) }),
      el('ul', { class: 'decisions' }, ...s.actions.map(decision)));
    document.querySelectorAll('.takedown-note, .held-note').forEach((n) => n.remove());
    markRows();
  } catch (e) {
    toast(e.message);
  }
}

if (box) {
  new MutationObserver(markRows).observe(document.getElementById('studio-list'), { childList: true });
  load();
}
