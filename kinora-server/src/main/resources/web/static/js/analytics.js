// Studio analytics: a channel's or one video's figures over a range, compared with the period
// before, with charts (uPlot, from /static/vendor), realtime views and CSV export.
import { api, el, formatDuration, page, toast } from './app.js';

const params = new URLSearchParams(location.search);
const state = { video: params.get('video') || '', range: params.get('range') || '28d' };
const charts = {};

const NAMES = {
  source: 'Traffic sources', embed: 'Embedded on', external: 'External sites', device: 'Devices', browser: 'Browsers',
  country: 'Countries',
};
const SOURCE_LABELS = {
  search: 'Search', home: 'Home feed', subscriptions: 'Subscriptions', related: 'Related / up next', playlist: 'Playlists',
  channel: 'Channel page', embed: 'Embeds', external: 'External links', direct: 'Direct or unknown',
};

function base() {
  return state.video ? '/api/v1/videos/' + encodeURIComponent(state.video) : '/api/v1/channels/' + encodeURIComponent(page.channel_id);
}

async function load() {
  syncUrl();
  document.querySelectorAll('#range-picker [data-range]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === state.range)));
  document.getElementById('analytics-csv').href = base() + '/analytics/csv?range=' + encodeURIComponent(state.range);
  try {
    const [report, realtime] = await Promise.all([
      api(base() + '/analytics?range=' + encodeURIComponent(state.range)),
      api(base() + '/analytics/realtime'),
    ]);
    render(report);
    renderRealtime(realtime.items);
  } catch (e) {
    toast(e.message);
  }
}

function syncUrl() {
  const q = new URLSearchParams();
  if (state.video) q.set('video', state.video);
  if (state.range !== '28d') q.set('range', state.range);
  history.replaceState(null, '', location.pathname + (q.toString() ? '?' + q : ''));
}

function render(r) {
  const from = new Date(r.from), to = new Date(new Date(r.to).getTime() - 1);
  const fmt = (d) => r.granularity === 'hour' ? d.toLocaleString() : d.toLocaleDateString();
  document.getElementById('analytics-period').textContent = fmt(from) + ' – ' + fmt(to)
    + (r.previous ? ' · compared with the ' + (r.range === '48h' ? '48 hours' : 'days') + ' before' : '');
  const t = r.totals, p = r.previous;
  const kpis = [
    ['Views', t.views, p?.views, String],
    ['Unique viewers', t.unique_viewers, p?.unique_viewers, String],
    ['Watch time (hours)', t.watch_hours, p?.watch_hours, (v) => v.toFixed(v < 10 ? 2 : 1)],
    ['Average view duration', t.average_view_duration_seconds, p?.average_view_duration_seconds, (v) => formatDuration(v) || '0:00'],
    ['Average percentage viewed', t.average_view_percentage, p?.average_view_percentage, (v) => v === null ? '—' : v.toFixed(1) + ' %'],
    ['Plays', t.plays, p?.plays, String],
    ['Likes', t.likes, p?.likes, String],
    ['Dislikes', t.dislikes, p?.dislikes, String],
    ['Comments', t.comments, p?.comments, String],
  ];
  if (!state.video) kpis.push(['Subscribers gained', t.subscribers_gained, p?.subscribers_gained, String],
    ['Subscribers lost', t.subscribers_lost, p?.subscribers_lost, String]);
  document.getElementById('kpis').replaceChildren(...kpis.map(([label, value, before, show]) => kpi(label, value, before, show)));
  renderSeries(r);
  renderRetention(r);
  renderDims(r);
}

function kpi(label, value, before, show) {
  let delta = null;
  if (before !== undefined && before !== null && value !== null) {
    const diff = value - before;
    const pct = before === 0 ? (value === 0 ? 0 : null) : (100 * diff) / before;
    const text = pct === null ? 'new (was 0)' : (diff >= 0 ? '+' : '') + pct.toFixed(0) + ' % vs previous (' + show(before) + ')';
    delta = el('span', { class: 'delta ' + (diff > 0 ? 'up' : diff < 0 ? 'down' : ''), text });
  }
  return el('li', { class: 'kpi card', 'data-kpi': label },
    el('div', { class: 'label', text: label }), el('div', { class: 'value', text: show(value) }), delta);
}

function width(node) {
  return Math.max(300, node.clientWidth || node.parentElement.clientWidth - 28);
}

function draw(key, node, opts, data) {
  charts[key]?.destroy();
  node.replaceChildren();
  charts[key] = new uPlot({ width: width(node), height: 240, ...opts }, data, node);
}

function renderSeries(r) {
  const xs = r.series.map((s) => new Date(s.at).getTime() / 1000);
  const views = r.series.map((s) => s.views);
  const hours = r.series.map((s) => +(s.watch_ms / 3_600_000).toFixed(3));
  draw('series', document.getElementById('series-chart'), {
    series: [{ label: r.granularity === 'hour' ? 'Hour' : 'Day' },
      { label: 'Views', stroke: '#e5484d', width: 2, scale: 'views' },
      { label: 'Watch hours', stroke: '#2f6feb', width: 2, scale: 'hours', value: (u, v) => v === null ? '—' : v.toFixed(2) }],
    axes: [{}, { scale: 'views' }, { scale: 'hours', side: 1, grid: { show: false } }],
    scales: { x: { time: true } },
  }, [xs, views, hours]);
}

function renderRetention(r) {
  const card = document.getElementById('retention-card');
  card.hidden = !r.retention;
  if (!r.retention) return;
  const xs = r.retention.map((_, i) => i);
  const ys = r.retention.map((v) => +(v * 100).toFixed(1));
  const at = (i) => r.duration_seconds ? ' (' + formatDuration((r.duration_seconds * i) / 100) + ')' : '';
  draw('retention', document.getElementById('retention-chart'), {
    series: [{ label: 'Point', value: (u, v) => v === null ? '—' : v + ' %' + at(v) },
      { label: 'Still watching', stroke: '#1f8f4e', fill: 'rgba(31,143,78,.15)', width: 2, value: (u, v) => v === null ? '—' : v + ' %' }],
    scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(100, max)] } },
    axes: [{ values: (u, vals) => vals.map((v) => v + ' %') }, { values: (u, vals) => vals.map((v) => v + ' %') }],
  }, [xs, ys]);
}

function renderRealtime(items) {
  const xs = items.map((m) => new Date(m.at).getTime() / 1000);
  const ys = items.map((m) => m.views);
  draw('realtime', document.getElementById('realtime-chart'), {
    series: [{ label: 'Minute' }, { label: 'Views', stroke: '#e5484d', fill: 'rgba(229,72,77,.35)', paths: uPlot.paths.bars({ size: [0.8, 20] }) }],
    scales: { x: { time: true } },
  }, [xs, ys]);
}

function renderDims(r) {
  const groups = {};
  for (const d of r.dimensions) (groups[d.dimension] ||= []).push(d);
  const order = ['source', 'embed', 'external', 'device', 'browser'];
  if (r.countries_available) order.push('country');
  const tables = order.filter((k) => groups[k]?.length).map((k) => el('section', { class: 'card', 'data-dimension': k },
    el('h2', { text: NAMES[k] }),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', { text: k === 'source' ? 'Source' : 'Name' }), el('th', { class: 'num', text: 'Views' }),
        el('th', { class: 'num', text: 'Watch hours' }))),
      el('tbody', {}, ...groups[k].map((d) => el('tr', {},
        el('td', { text: k === 'source' ? (SOURCE_LABELS[d.value] || d.value) : d.value }),
        el('td', { class: 'num', text: String(d.views) }),
        el('td', { class: 'num', text: (d.watch_ms / 3_600_000).toFixed(2) })))))));
  if (!r.countries_available) {
    tables.push(el('section', { class: 'card' }, el('h2', { text: 'Countries' }),
      el('p', { class: 'muted', text: 'Not available: this Kinora has no IP-to-country database configured.' })));
  }
  document.getElementById('dims').replaceChildren(...tables);
}

async function fillVideos() {
  const select = document.getElementById('analytics-subject');
  try {
    const list = await api('/api/v1/users/me/videos?limit=100');
    for (const v of list.items) select.append(el('option', { value: v.id, text: v.title }));
  } catch (e) {
    toast(e.message);
  }
  select.value = state.video;
  select.addEventListener('change', () => {
    state.video = select.value;
    load();
  });
}

document.getElementById('range-picker').addEventListener('click', (e) => {
  const b = e.target.closest('[data-range]');
  if (!b) return;
  state.range = b.dataset.range;
  load();
});

fillVideos();
load();
setInterval(async () => {
  try { renderRealtime((await api(base() + '/analytics/realtime')).items); } catch (e) { /* next tick */ }
}, 30_000);
