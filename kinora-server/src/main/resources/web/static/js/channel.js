// A channel: banner, picture, name, counts, subscribe, its videos a page at a time; its owner
// customizes it here (name, handle, description, picture and banner).
import { api, avatar, formatCount, page, toast, videoCard } from './app.js';
import { subscribeButton } from './engagement.js';
import { pager } from './pager.js';

let channel = page.channel;
const ref = encodeURIComponent(channel.id);
const grid = document.getElementById('grid');
const status = document.getElementById('feed-status');
const more = document.getElementById('load-more');
const videos = pager('/api/v1/channels/' + ref + '/videos', { limit: '24' });

function showHeader() {
  document.getElementById('channel-title').textContent = channel.display_name;
  document.getElementById('channel-handle').textContent = '@' + channel.handle;
  document.getElementById('channel-description').textContent = channel.description || '';
  document.getElementById('channel-avatar').replaceChildren(avatar(channel, 96));
  const banner = document.getElementById('channel-banner');
  banner.style.backgroundImage = channel.banner_url ? `url("${channel.banner_url}")` : '';
  banner.classList.toggle('plain', !channel.banner_url);
  document.getElementById('channel-subs').textContent = formatCount(channel.subscriber_count, 'subscriber');
  document.getElementById('channel-videos').textContent = formatCount(channel.video_count ?? 0, 'video');
  // The address bar shows the readable @handle form however the page was reached.
  const canonical = '/channel/@' + encodeURIComponent(channel.handle);
  if (location.pathname !== canonical) history.replaceState(null, '', canonical);
  document.title = channel.display_name + ' · Kinora';
}

async function loadPage() {
  status.textContent = 'Loading…';
  more.hidden = true;
  try {
    grid.append(...(await videos.next()).map((v) => videoCard(v)));
    more.hidden = videos.done;
    status.textContent = '';
    document.getElementById('feed-empty').hidden = grid.children.length > 0;
  } catch (e) {
    status.textContent = e.message;
  }
}

showHeader();
subscribeButton(document.getElementById('subscribe'), channel, (n) => {
  channel.subscriber_count = n;
  showHeader();
});
more.addEventListener('click', loadPage);
loadPage();

if (page.own) {
  const dialog = document.getElementById('customize-dialog');
  const form = document.getElementById('customize-form');
  const error = document.getElementById('customize-error');
  const button = document.getElementById('customize');
  button.hidden = false;
  button.addEventListener('click', () => {
    form.display_name.value = channel.display_name;
    form.handle.value = channel.handle;
    form.description.value = channel.description || '';
    form.avatar.value = '';
    form.banner.value = '';
    error.hidden = true;
    dialog.showModal();
  });
  document.getElementById('customize-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const save = document.getElementById('customize-save');
    save.disabled = true;
    try {
      channel = { ...channel, ...await api('/api/v1/channels/' + ref, { method: 'PATCH', body: {
        display_name: form.display_name.value.trim(), handle: form.handle.value.trim(), description: form.description.value } }) };
      for (const kind of ['avatar', 'banner']) {
        const file = form[kind].files[0];
        if (file) channel = { ...channel, ...await putImage(kind, file) };
      }
      dialog.close();
      showHeader();
      toast('Channel saved.');
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
}

/** Pictures go up as the raw request body; the server checks, crops and resizes them. */
async function putImage(kind, file) {
  const res = await fetch('/api/v1/channels/' + ref + '/' + kind, { method: 'PUT', credentials: 'same-origin',
    headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' }, body: file });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(json?.message || `The ${kind} could not be saved (${res.status}).`);
  return json;
}
