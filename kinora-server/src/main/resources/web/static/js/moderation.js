// The moderation queue (/admin/moderation): reported items grouped with their reports, the
// reported moment of a video played inline, every action with its reason; held uploads, appeals
// and the audit log.
import { api, el, formatDate, formatDuration, toast } from './app.js';
import { pager } from './pager.js';

const ACTIONS = {
  video: [['dismiss', 'Dismiss'], ['remove', 'Take down'], ['age_restrict', 'Age-restrict'], ['mark_sensitive', 'Mark sensitive'],
    ['warn', 'Warn the creator'], ['strike', 'Strike the creator'], ['suspend', 'Suspend the creator']],
  comment: [['dismiss', 'Dismiss'], ['remove', 'Remove the comment'], ['warn', 'Warn the author'], ['strike', 'Strike the author'],
    ['suspend', 'Suspend the author']],
  channel: [['dismiss', 'Dismiss'], ['warn', 'Warn'], ['strike', 'Strike'], ['suspend', 'Suspend'], ['remove', 'Terminate the channel']],
  live_chat: [['dismiss', 'Dismiss'], ['remove', 'Remove the message']],
};

// The queue's pages; the first also carries the held uploads, so the pager's fetch keeps the whole answer.
let queueAnswer = null;
const queue = pager('/api/v1/admin/moderation/queue', () => ({ sort: document.getElementById('queue-sort').value, limit: '20' }),
  async (url) => (queueAnswer = await api(url)));

/**
 * Replaces a list's children with one per item, keeping the element of an item already shown
 * (same key), so a reason being typed survives a refresh of the list.
 */
function keyed(list, items, key, render) {
  const shown = new Map([...list.children].map((li) => [li.dataset.key, li]));
  list.replaceChildren(...items.map((i) => {
    const k = key(i);
    const li = shown.get(k) || render(i);
    li.dataset.key = k;
    return li;
  }));
}

function tab(name) {
  for (const b of document.querySelectorAll('[data-tab]')) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', String(on));
    b.classList.toggle('primary', on);
    document.getElementById('panel-' + b.dataset.tab).hidden = !on;
  }
  if (name === 'reports') loadQueue(true);
  if (name === 'held') loadQueue(true);
  if (name === 'appeals') loadAppeals();
  if (name === 'audit') loadAudit();
}
for (const b of document.querySelectorAll('[data-tab]')) b.addEventListener('click', () => tab(b.dataset.tab));
document.getElementById('queue-sort').addEventListener('change', () => loadQueue(true));
document.getElementById('queue-more').addEventListener('click', () => loadQueue(false));

function itemLink(item) {
  if (item.kind === 'video') return el('a', { href: '/watch/' + encodeURIComponent(item.id), text: item.title || item.id });
  if (item.kind === 'channel') return el('a', { href: '/channel/' + encodeURIComponent(item.id), text: item.title || item.id });
  if (item.kind === 'comment' && item.parent_id) {
    return el('a', { href: '/watch/' + encodeURIComponent(item.parent_id) + '?comment=' + encodeURIComponent(item.id),
      text: '“' + (item.title || '') + '”' });
  }
  return el('span', { text: item.title || item.id });
}

/** The video inline, starting at the reported moment (hls.js startPosition). */
function inlinePlayer(videoId, at) {
  const box = el('div', { class: 'mod-player' });
  const button = el('button', { type: 'button', class: 'button', 'data-role': 'watch-moment',
    text: at != null ? 'Watch the reported moment (' + formatDuration(at) + ')' : 'Watch' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const v = await api('/api/v1/videos/' + encodeURIComponent(videoId));
      if (!v.playback) { box.append(el('p', { class: 'muted', text: 'Not playable yet (' + v.status + ').' })); return; }
      const video = el('video', { controls: true, muted: true, playsinline: true, class: 'mod-video', 'data-start': String(at ?? 0) });
      box.replaceChildren(video);
      const start = at ?? 0;
      if (window.Hls && window.Hls.isSupported()) {
        const hls = new window.Hls({ startPosition: start });
        hls.loadSource(v.playback.hls);
        hls.attachMedia(video);
      } else {
        video.src = v.playback.hls + '#t=' + start;
      }
      video.play().catch(() => {});
    } catch (e) {
      box.append(el('p', { class: 'form-error', text: e.message }));
    }
  });
  box.append(button);
  return box;
}

function actionForm(kind, itemId, after) {
  const select = el('select', { name: 'action', 'aria-label': 'Action' },
    ...(ACTIONS[kind] || ACTIONS.live_chat).map(([v, label]) => el('option', { value: v, text: label })));
  const reason = el('textarea', { name: 'reason', rows: '2', required: true, maxlength: '2000', placeholder: 'Reason (required, the owner reads it)',
    'aria-label': 'Reason' });
  const days = el('input', { name: 'days', type: 'number', min: '1', max: '3650', placeholder: 'Days (empty: no end)', 'aria-label': 'Suspension days', hidden: true });
  const severe = el('label', { class: 'check-label', hidden: true }, el('input', { type: 'checkbox', name: 'severe' }), ' Severe: terminate at once');
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  select.addEventListener('change', () => {
    days.hidden = select.value !== 'suspend';
    severe.hidden = !(select.value === 'remove' || select.value === 'strike') || kind === 'comment' || kind === 'live_chat';
  });
  const form = el('form', { class: 'mod-action', novalidate: true }, select, days, severe, reason, error,
    el('button', { type: 'submit', class: 'button primary', text: 'Apply' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const body = { kind, item_id: itemId, action: select.value, reason: reason.value };
    if (select.value === 'suspend' && days.value) body.days = Number(days.value);
    if (form.severe.checked) body.severe = true;
    try {
      await api('/api/v1/admin/moderation/actions', { method: 'POST', body });
      toast('Done: ' + select.options[select.selectedIndex].text);
      after();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
  return form;
}

function flagsLine(flags) {
  if (!flags) return null;
  const b = [];
  if (flags.taken_down) b.push('taken down');
  if (flags.held) b.push('held');
  if (flags.age_restricted) b.push('age-restricted');
  if (flags.sensitive) b.push('sensitive');
  return b.length ? el('p', { class: 'meta' }, ...b.map((t) => el('span', { class: 'badge', text: t }))) : null;
}

function entry(e) {
  const reasons = Object.entries(e.reasons).map(([r, n]) => r.replace('_', ' ') + (n > 1 ? ' ×' + n : '')).join(', ');
  return el('li', { class: 'mod-item card', 'data-item-id': e.item_id, 'data-kind': e.kind },
    el('div', { class: 'mod-head' },
      el('span', { class: 'badge', text: e.kind.replace('_', ' ') }),
      el('h2', {}, itemLink(e.item)),
      el('span', { class: 'mod-count', 'aria-label': e.count + ' open reports', text: e.count + (e.count === 1 ? ' report' : ' reports') })),
    el('p', { class: 'meta', text: reasons + ' · latest ' + formatDate(e.last_at) }),
    flagsLine(e.item.flags),
    el('ul', { class: 'mod-reports' }, ...e.latest.map((r) => el('li', {},
      el('strong', { text: r.reason.replace('_', ' ') }), r.at_seconds != null ? ' at ' + formatDuration(r.at_seconds) : '',
      r.note ? ' — ' + r.note : ''))),
    e.kind === 'video' ? inlinePlayer(e.item_id, e.at_seconds) : null,
    actionForm(e.kind, e.item_id, () => loadQueue(true)));
}

// Counts the queue's resets (a new sort, a refresh after an action): a "more" page answered after one is dropped.
let queueLoads = 0;

async function loadQueue(reset) {
  if (reset) queue.reset();
  const load = reset ? ++queueLoads : queueLoads;
  try {
    const items = await queue.next();
    if (load !== queueLoads) return;
    const q = queueAnswer;
    const list = document.getElementById('queue-list');
    const key = (e) => e.kind + ':' + e.item_id + ':' + e.count + ':' + e.last_at;
    if (reset) keyed(list, items, key, entry); else list.append(...items.map(entry));
    document.getElementById('queue-more').hidden = queue.done;
    document.getElementById('queue-empty').hidden = list.children.length > 0;
    if (reset) {
      const held = document.getElementById('held-list');
      keyed(held, q.held, (h) => h.item.id, (h) => el('li', { class: 'mod-item card', 'data-item-id': h.item.id },
        el('div', { class: 'mod-head' }, el('span', { class: 'badge', text: 'held' }), el('h2', {}, itemLink(h.item))),
        el('p', { class: 'meta', text: (h.reason || '') + ' · since ' + formatDate(h.held_at) }),
        inlinePlayer(h.item.id, 0),
        approveForm(h.item.id)));
      document.getElementById('held-empty').hidden = q.held.length > 0;
      document.getElementById('tab-held').textContent = 'Held' + (q.held.length ? ' (' + q.held.length + ')' : '');
    }
  } catch (e) {
    toast(e.message);
  }
}

function approveForm(videoId) {
  const form = actionForm('video', videoId, () => loadQueue(true));
  const select = form.querySelector('select');
  select.prepend(el('option', { value: 'approve', text: 'Approve: publish it' }));
  select.value = 'approve';
  return form;
}

function appeal(a) {
  const reason = el('textarea', { rows: '2', maxlength: '2000', placeholder: 'Reason for the decision (required)', 'aria-label': 'Decision reason' });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const decide = (decision) => async () => {
    error.hidden = true;
    try {
      await api('/api/v1/admin/moderation/appeals/' + encodeURIComponent(a.action_id), { method: 'POST', body: { decision, reason: reason.value } });
      toast(decision === 'accept' ? 'Appeal accepted: the decision is undone.' : 'Appeal rejected.');
      loadAppeals();
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  };
  return el('li', { class: 'mod-item card', 'data-action-id': a.action_id },
    el('div', { class: 'mod-head' }, el('span', { class: 'badge', text: 'appeal' }), el('h2', {}, itemLink(a.item))),
    el('p', { class: 'meta', text: 'Decision: ' + a.action.action.replace('_', ' ') + (a.action.penalty ? ' (' + a.action.penalty + ')' : '')
      + ' — “' + a.action.reason + '” · ' + formatDate(a.action.created_at) }),
    el('blockquote', { class: 'appeal-message', text: a.message }),
    reason, error,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'button primary', 'data-role': 'accept', text: 'Accept appeal', onclick: decide('accept') }),
      el('button', { type: 'button', class: 'button', 'data-role': 'reject', text: 'Reject appeal', onclick: decide('reject') })));
}

async function loadAppeals() {
  try {
    const res = await api('/api/v1/admin/moderation/appeals');
    keyed(document.getElementById('appeals-list'), res.items, (a) => a.action_id, appeal);
    document.getElementById('appeals-empty').hidden = res.items.length > 0;
    document.getElementById('tab-appeals').textContent = 'Appeals' + (res.items.length ? ' (' + res.items.length + ')' : '');
  } catch (e) {
    toast(e.message);
  }
}

const auditForm = document.getElementById('audit-form');
auditForm.addEventListener('submit', (e) => { e.preventDefault(); loadAudit(); });

async function loadAudit() {
  const params = new URLSearchParams();
  if (auditForm.item.value.trim()) params.set('item', auditForm.item.value.trim());
  if (auditForm.actor.value.trim()) params.set('actor', auditForm.actor.value.trim());
  document.getElementById('audit-csv').href = '/api/v1/admin/audit.csv?' + params;
  try {
    const res = await api('/api/v1/admin/audit?' + params);
    document.getElementById('audit-rows').replaceChildren(...res.items.map((r) => el('tr', {},
      el('td', { text: new Date(r.at).toLocaleString() }), el('td', { text: r.actor_name || r.actor_id, title: r.actor_id }),
      el('td', { text: r.action.replace('_', ' ') }), el('td', { text: r.kind.replace('_', ' ') + ' ' + r.item_id }), el('td', { text: r.reason }), el('td', { text: r.details }))));
  } catch (e) {
    toast(e.message);
  }
}

loadQueue(true);
loadAppeals();
