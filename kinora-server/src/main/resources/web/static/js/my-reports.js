// Studio: the reports the signed-in person filed and what became of each (issue 18: "reporters see
// the outcome"). Open reports say they wait for review; closed ones show the sentence the decision wrote.
import { api, el, formatDate } from './app.js';

const box = document.getElementById('my-reports');

function row(r) {
  const what = r.kind === 'video'
    ? el('a', { href: '/watch/' + encodeURIComponent(r.item_id), text: 'a video' })
    : 'a ' + r.kind.replace('_', ' ');
  return el('li', { class: 'decision', 'data-report-id': r.id, 'data-status': r.status },
    el('p', {}, el('strong', { text: r.reason.replace('_', ' ') }), ' — you reported ', what,
      el('span', { class: 'muted', text: ' · ' + formatDate(r.created_at) })),
    el('p', { class: r.status === 'open' ? 'muted' : 'reason', 'data-role': 'outcome',
      text: r.status === 'open' ? 'Waiting for a moderator.' : (r.outcome || 'Reviewed.') }));
}

async function load() {
  try {
    const res = await api('/api/v1/me/reports');
    box.replaceChildren(el('h2', { class: 'section-title', text: 'Your reports' }),
      el('ul', { class: 'decisions' }, ...res.items.map(row)));
    box.hidden = res.items.length === 0;
  } catch (e) {
    box.hidden = true; // a nicety: the rest of Studio still works
  } finally {
    box.dataset.loaded = 'true';
  }
}

if (box) load();
