// The admin pages: accounts, videos in every state, the job queue with replay, instance settings
// and health. Moderators see accounts and videos; the other tabs are for admins. Everything
// shown comes from /api/v1/admin/... and is written as text, never as HTML.
import { api, el, formatBytes, formatDate, page, toast } from './app.js';
import { pager } from './pager.js';

const panels = ['users', 'videos', 'jobs', 'settings', 'health'];
const loaders = {};
let role = 'user';

function cell(...children) { return el('td', {}, ...children); }

function button(text, onclick, extra = {}) {
  return el('button', { type: 'button', class: 'link-button', text, onclick, ...extra });
}

async function act(work, done) {
  try {
    await work();
    if (done) done();
  } catch (e) { toast(e.message); }
}

// ---- accounts ----
let users;
function userRow(u) {
  const standing = u.suspended_at ? 'Suspended: ' + (u.suspension_reason || '') : u.awaiting_approval ? 'Awaiting approval' : 'Active';
  const actions = el('td', { class: 'admin-actions' });
  if (role === 'admin' && u.awaiting_approval) {
    actions.append(button('Approve', () => act(() => api(`/api/v1/admin/users/${u.id}/approval`, { method: 'POST' }), reloadUsers)));
  }
  if (u.suspended_at) {
    actions.append(button('Lift suspension', () => act(() => api(`/api/v1/admin/users/${u.id}/suspension`, { method: 'DELETE' }), reloadUsers)));
  } else if (u.role !== 'admin') {
    actions.append(button('Suspend', () => {
      const reason = prompt(`Why suspend ${u.username}? They will see this reason.`);
      if (reason) act(() => api(`/api/v1/admin/users/${u.id}/suspension`, { method: 'POST', body: { reason } }), reloadUsers);
    }));
  }
  if (role === 'admin' && u.id !== page.user?.id) {
    const select = el('select', { 'aria-label': 'Role of ' + u.username },
      ...['user', 'moderator', 'admin'].map((r) => el('option', { value: r, text: r, selected: r === u.role })));
    select.addEventListener('change', () => act(() => api(`/api/v1/admin/users/${u.id}`, { method: 'PATCH', body: { role: select.value } }),
      () => toast(`${u.username} is now ${select.value}.`)));
    actions.append(select);
    actions.append(button('Quota', () => {
      const mb = prompt(`Upload quota of ${u.username} in MB (-1 unlimited, empty for the instance default)`, '');
      if (mb === null) return;
      const body = mb.trim() === '' ? { reset_quota: true } : { upload_quota_bytes: Number(mb) < 0 ? -1 : Math.round(Number(mb) * 1000 * 1000) };
      act(() => api(`/api/v1/admin/users/${u.id}`, { method: 'PATCH', body }), reloadUsers);
    }));
  }
  const quota = u.upload_quota_bytes === null ? 'default' : u.upload_quota_bytes < 0 ? 'unlimited' : formatBytes(u.upload_quota_bytes);
  return el('tr', {}, cell(el('strong', { text: u.username }), el('br'), el('span', { class: 'muted', text: u.email })),
    cell(u.role), cell(String(u.videos)), cell(`${formatBytes(u.used_bytes)} of ${quota}`), cell(formatDate(u.created_at)),
    cell(standing), actions);
}
async function moreUsers() {
  const rows = document.getElementById('users-rows');
  rows.append(...(await users.next()).map(userRow));
  document.getElementById('users-more').hidden = users.done;
}
function reloadUsers() {
  users = pager('/api/v1/admin/users', { q: document.getElementById('users-q').value, limit: '50' });
  document.getElementById('users-rows').replaceChildren();
  return moreUsers().catch((e) => toast(e.message));
}
loaders.users = reloadUsers;
document.getElementById('users-search').addEventListener('submit', (e) => { e.preventDefault(); reloadUsers(); });
document.getElementById('users-more').addEventListener('click', () => moreUsers().catch((e) => toast(e.message)));

// ---- videos ----
let videos;
function videoRow(v) {
  const state = v.deleted ? 'deleted' : v.status === 'processing' ? `processing ${v.progress} %` : v.status;
  const stateCell = cell(el('span', { class: 'admin-state admin-state-' + (v.deleted ? 'deleted' : v.status), text: state }));
  if (v.status === 'processing') stateCell.append(el('progress', { max: '100', value: String(v.progress) }));
  if (v.failure_reason) stateCell.append(el('br'), el('span', { class: 'muted', text: v.failure_reason }));
  return el('tr', {}, cell(v.deleted ? v.title : el('a', { href: '/watch/' + v.id, text: v.title })), cell(v.owner_name),
    cell(v.privacy), stateCell, cell(formatDate(v.created_at)));
}
async function moreVideos() {
  document.getElementById('videos-rows').append(...(await videos.next()).map(videoRow));
  document.getElementById('videos-more').hidden = videos.done;
}
function reloadVideos() {
  const status = document.getElementById('videos-status').value;
  videos = pager('/api/v1/admin/videos', status ? { status, limit: '50' } : { limit: '50' });
  document.getElementById('videos-rows').replaceChildren();
  return moreVideos().catch((e) => toast(e.message));
}
loaders.videos = reloadVideos;
document.getElementById('videos-status').addEventListener('change', reloadVideos);
document.getElementById('videos-more').addEventListener('click', () => moreVideos().catch((e) => toast(e.message)));

// ---- jobs ----
let jobs;
function jobRow(j) {
  const actions = el('td', { class: 'admin-actions' });
  if (j.status === 'dead') {
    actions.append(button('Replay', () => act(() => api(`/api/v1/admin/jobs/${j.id}/replay`, { method: 'POST' }), () => {
      toast(`Job ${j.id} is queued again.`);
      reloadJobs();
    })));
  }
  const error = j.last_error ? el('details', {}, el('summary', { text: j.last_error.split('\n')[0].slice(0, 80) }),
    el('pre', { class: 'admin-error', text: j.last_error })) : '';
  return el('tr', {}, cell('#' + j.id), cell(j.kind), cell(el('a', { href: '/watch/' + j.video_id, text: j.video_id })),
    cell(j.status), cell(`${j.attempts} / ${j.max_attempts}`), cell(error), actions);
}
async function moreJobs() {
  document.getElementById('jobs-rows').append(...(await jobs.next()).map(jobRow));
  document.getElementById('jobs-more').hidden = jobs.done;
}
async function reloadJobs() {
  const summary = await api('/api/v1/admin/jobs/summary').catch((e) => { toast(e.message); return null; });
  const kinds = document.getElementById('jobs-kinds');
  kinds.replaceChildren();
  if (summary) {
    kinds.append(el('p', { class: 'card', text: `${summary.total.queued} queued · ${summary.total.running} running · ${summary.total.dead} dead` }));
    for (const k of summary.kinds) {
      const box = el('p', { class: 'card' }, el('strong', { text: k.kind }), ` ${k.queued} queued · ${k.running} running · ${k.dead} dead · ${k.done} done `);
      if (k.dead > 0) {
        box.append(el('button', { type: 'button', class: 'button', text: `Replay all ${k.dead} dead`, onclick: () => act(async () => {
          const r = await api('/api/v1/admin/jobs/replay', { method: 'POST', body: { kind: k.kind } });
          toast(`${r.replayed} ${k.kind} job(s) queued again.`);
        }, reloadJobs) }));
      }
      kinds.append(box);
    }
  }
  const status = document.getElementById('jobs-status').value;
  jobs = pager('/api/v1/admin/jobs', status ? { status, limit: '50' } : { limit: '50' });
  document.getElementById('jobs-rows').replaceChildren();
  return moreJobs().catch((e) => toast(e.message));
}
loaders.jobs = reloadJobs;
document.getElementById('jobs-status').addEventListener('change', reloadJobs);
document.getElementById('jobs-more').addEventListener('click', () => moreJobs().catch((e) => toast(e.message)));

// ---- settings ----
const MB = 1000 * 1000; // as formatBytes counts
// The form stays disabled until the stored settings have been shown: a choice made before the
// load finished would be overwritten by it, and "Save" would then store the old value.
function settingsEditable(on) {
  for (const c of document.getElementById('settings-form').elements) if (c.tagName !== 'FIELDSET') c.disabled = !on;
}
function showSettings(s) {
  document.getElementById('settings-signups').value = s.signups;
  document.getElementById('settings-quota').value = s.upload_quota_bytes < 0 ? -1 : Math.round(s.upload_quota_bytes / MB);
  document.getElementById('settings-writes').value = s.writes_per_minute;
  document.getElementById('settings-hold-days').value = s.hold_new_account_days;
  document.getElementById('settings-hold-published').value = s.hold_until_published;
  document.getElementById('settings-hold-keywords').value = s.hold_keywords;
  document.getElementById('settings-hold-videos').checked = s.hold_videos_by_keyword;
  const d = s.defaults;
  document.getElementById('settings-defaults').textContent = `Config defaults: sign-ups ${d.signups}, quota `
    + (d.upload_quota_bytes < 0 ? 'unlimited' : formatBytes(d.upload_quota_bytes)) + `, ${d.writes_per_minute} writes per minute; holds: `
    + `accounts younger than ${d.hold_new_account_days} days, fewer than ${d.hold_until_published} published videos, `
    + `keywords "${d.hold_keywords}"${d.hold_videos_by_keyword ? ' (videos too)' : ''}.`;
  settingsEditable(true);
}
loaders.settings = () => {
  settingsEditable(false);
  return api('/api/v1/admin/settings').then(showSettings).catch((e) => toast(e.message));
};
document.getElementById('settings-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const quota = Number(document.getElementById('settings-quota').value);
  act(async () => {
    showSettings(await api('/api/v1/admin/settings', { method: 'PATCH', body: {
      signups: document.getElementById('settings-signups').value,
      upload_quota_bytes: quota < 0 ? -1 : Math.round(quota * MB),
      writes_per_minute: Number(document.getElementById('settings-writes').value),
      hold_new_account_days: Number(document.getElementById('settings-hold-days').value),
      hold_until_published: Number(document.getElementById('settings-hold-published').value),
      hold_keywords: document.getElementById('settings-hold-keywords').value,
      hold_videos_by_keyword: document.getElementById('settings-hold-videos').checked,
    } }));
    toast('Settings saved; they apply at once.');
  });
});

// ---- health ----
function formatValue(name, stat, v, values) {
  if (name.startsWith('jvm.memory') || name.endsWith('.bytes')) return formatBytes(v);
  if (stat === 'total_time' || stat === 'total' || (stat === 'max' && 'total_time' in values)) return v.toFixed(3) + ' s';
  if (name.endsWith('.usage')) return (v * 100).toFixed(1) + ' %';
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
loaders.health = async () => {
  try {
    const h = await api('/api/v1/admin/health');
    document.getElementById('health-status').textContent = h.status === 'up' ? 'Ready: every check answers.' : 'Not ready: a check is down.';
    document.getElementById('health-status').className = 'card admin-health-' + h.status;
    document.getElementById('health-checks').replaceChildren(...Object.entries(h.checks).map(([name, state]) =>
      el('tr', {}, cell(name), cell(el('span', { class: 'admin-state admin-state-' + (state === 'up' ? 'ready' : 'failed'), text: state })))));
    document.getElementById('health-meters').replaceChildren(...h.meters.map((m) => el('tr', {}, cell(m.name),
      cell(Object.entries(m.values).map(([stat, v]) => `${stat} ${formatValue(m.name, stat, v, m.values)}`).join(' · ')))));
  } catch (e) { toast(e.message); }
};

// ---- tabs ----
function show(tab) {
  for (const name of panels) {
    document.getElementById('panel-' + name).hidden = name !== tab;
    document.querySelector(`[data-tab="${name}"]`).setAttribute('aria-pressed', String(name === tab));
  }
  history.replaceState(null, '', '#' + tab);
  loaders[tab]();
}
document.getElementById('admin-tabs').addEventListener('click', (e) => {
  const tab = e.target.closest('[data-tab]');
  if (tab) show(tab.dataset.tab);
});

api('/api/v1/me').then((me) => {
  role = me.role;
  if (role === 'user') {
    document.getElementById('admin-denied').hidden = false;
    return;
  }
  document.getElementById('admin-tabs').hidden = false;
  if (role !== 'admin') document.querySelectorAll('[data-admin]').forEach((b) => b.remove());
  const wanted = location.hash.slice(1);
  show(panels.includes(wanted) && (role === 'admin' || ['users', 'videos'].includes(wanted)) ? wanted : 'users');
}).catch((e) => toast(e.message));
