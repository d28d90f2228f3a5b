// Studio tools of issue 19, kept apart from studio.js: per video, captions (upload WebVTT/SRT per
// language, replace, download, delete), chapters, details (category, language, licence,
// scheduled publication) and the thumbnail (a picture, a suggested frame or any moment on a
// scrubber). Adds one "Captions & more" button to each row of the list that studio.js renders.
import { api, el, formatDuration, toast } from './app.js';

const list = document.getElementById('studio-list');
const dialog = document.getElementById('tools-dialog');

if (list && dialog) {
  const addButtons = () => {
    for (const item of list.querySelectorAll('.studio-item')) {
      const actions = item.querySelector('.item-actions');
      if (!actions || actions.querySelector('.tools-open')) continue;
      const id = item.dataset.videoId;
      actions.prepend(el('button', { type: 'button', class: 'button tools-open', text: 'Captions & more',
        'aria-label': 'Captions, chapters, details and thumbnail', onclick: () => open(id) }));
    }
  };
  new MutationObserver(addButtons).observe(list, { childList: true });
  addButtons();
}

async function raw(path, method, body, contentType) {
  const res = await fetch(path, { method, body, credentials: 'same-origin', headers: { 'Content-Type': contentType, Accept: 'application/json' } });
  if (res.ok) return res.status === 204 ? null : res.json();
  let message = `The server answered ${res.status}.`;
  try { message = (await res.json()).message || message; } catch (e) { /* not JSON */ }
  throw new Error(message);
}

function errorLine() {
  return el('p', { class: 'form-error', role: 'alert', hidden: true });
}

function fail(line, err) {
  line.textContent = err.message;
  line.hidden = false;
}

async function open(videoId) {
  const id = encodeURIComponent(videoId);
  const [video, details] = await Promise.all([api('/api/v1/videos/' + id), api('/api/v1/videos/' + id + '/details')]);
  dialog.replaceChildren(el('form', { method: 'dialog', class: 'studio-tools' },
    el('h2', { text: video.title }),
    await captionsSection(id),
    chaptersSection(id, details),
    detailsSection(id, details),
    thumbnailSection(id, video),
    el('div', { class: 'actions' }, el('button', { class: 'button', id: 'tools-close', text: 'Close' }))));
  dialog.showModal();
}

async function captionsSection(id) {
  const section = el('section', { id: 'tools-captions' }, el('h3', { text: 'Captions' }));
  const tracks = el('ul', { class: 'track-list' });
  // Editing a track: its WebVTT (Kinora's own, as downloaded) in a text box; saving uploads it again
  // under the same language and label, so the same checks and errors (with the line) apply.
  const editor = el('textarea', { id: 'caption-editor', rows: 10, spellcheck: 'true', 'aria-label': 'Caption text (WebVTT)' });
  const editorError = errorLine();
  let editing = null;
  const editorBox = el('div', { class: 'caption-editor', hidden: true },
    el('p', { class: 'muted small', id: 'caption-editor-title' }), editor, editorError,
    el('div', { class: 'inline-form' },
      el('button', { type: 'button', class: 'button primary', id: 'caption-editor-save', text: 'Save captions', onclick: async () => {
        editorError.hidden = true;
        try {
          await raw('/api/v1/videos/' + id + '/captions/' + encodeURIComponent(editing.language) + '?label=' + encodeURIComponent(editing.label),
            'PUT', editor.value, 'text/vtt');
          toast('Captions saved.');
          editorBox.hidden = true;
          render();
        } catch (err) { fail(editorError, err); }
      } }),
      el('button', { type: 'button', class: 'button', text: 'Cancel', onclick: () => { editorBox.hidden = true; } })));
  const edit = async (t) => {
    editorError.hidden = true;
    const res = await fetch(t.url, { credentials: 'same-origin' });
    if (!res.ok) return fail(editorError, new Error(`The server answered ${res.status}.`));
    editor.value = await res.text();
    editing = t;
    editorBox.querySelector('#caption-editor-title').textContent = `Editing ${t.label} (${t.language})`;
    editorBox.hidden = false;
    editor.focus();
  };
  const render = async () => {
    const { items } = await api('/api/v1/videos/' + id + '/captions');
    tracks.replaceChildren(...items.map((t) => el('li', {},
      el('span', { text: `${t.label} (${t.language}) · ${t.cue_count} cues` }),
      el('a', { href: t.url, download: '', text: 'Download' }),
      el('button', { type: 'button', class: 'button caption-edit', 'data-language': t.language, text: 'Edit', onclick: () => edit(t) }),
      el('button', { type: 'button', class: 'button', text: 'Delete', onclick: async () => {
        await api(t.url, { method: 'DELETE' });
        render();
      } }))));
    if (!items.length) tracks.replaceChildren(el('li', { class: 'muted', text: 'No captions yet.' }));
  };
  const language = el('input', { id: 'caption-language', value: 'en', size: 6, 'aria-label': 'Language', required: true });
  const label = el('input', { id: 'caption-label', placeholder: 'Label (optional)', maxlength: 60, 'aria-label': 'Label' });
  const file = el('input', { id: 'caption-file', type: 'file', accept: '.vtt,.srt,text/vtt,application/x-subrip', 'aria-label': 'Caption file' });
  const error = errorLine();
  const upload = el('button', { type: 'button', class: 'button primary', id: 'caption-upload', text: 'Upload captions', onclick: async () => {
    error.hidden = true;
    if (!file.files.length) return fail(error, new Error('Choose a WebVTT or SRT file first.'));
    try {
      const q = label.value.trim() ? '?label=' + encodeURIComponent(label.value.trim()) : '';
      await raw('/api/v1/videos/' + id + '/captions/' + encodeURIComponent(language.value.trim()) + q, 'PUT', file.files[0], 'text/plain');
      toast('Captions saved.');
      file.value = '';
      render();
    } catch (err) { fail(error, err); }
  } });
  await render();
  section.append(tracks, editorBox, el('div', { class: 'inline-form' }, language, label, file, upload), error);
  return section;
}

function chaptersSection(id, details) {
  const text = el('textarea', { id: 'chapters-text', rows: 4, placeholder: '0:00 Intro\n1:30 First part\n4:10 Second part',
    'aria-label': 'Chapters, one per line' });
  text.value = details.chapters || '';
  const error = errorLine();
  return el('section', { id: 'tools-chapters' }, el('h3', { text: 'Chapters' }),
    el('p', { class: 'muted small', text: 'One per line, at least three, the first at 0:00. Empty: the timestamps in the description.' }),
    text, error,
    el('button', { type: 'button', class: 'button', id: 'chapters-save', text: 'Save chapters', onclick: async () => {
      error.hidden = true;
      try {
        await api('/api/v1/videos/' + id + '/details', { method: 'PATCH', body: { chapters: text.value } });
        toast('Chapters saved.');
      } catch (err) { fail(error, err); }
    } }));
}

function detailsSection(id, details) {
  const select = (name, values, current) => el('select', { id: 'details-' + name, 'aria-label': name },
    el('option', { value: '', text: '—' }), ...values.map((v) => el('option', { value: v, text: v, selected: v === current })));
  const category = select('category', details.categories, details.category);
  const licence = select('licence', details.licences, details.licence);
  const language = el('input', { id: 'details-language', size: 6, placeholder: 'en', value: details.language || '', 'aria-label': 'Language' });
  const publish = el('input', { id: 'details-publish-at', type: 'datetime-local', 'aria-label': 'Publish at' });
  if (details.publish_at) publish.value = toLocalInput(new Date(details.publish_at));
  const error = errorLine();
  return el('section', { id: 'tools-details' }, el('h3', { text: 'Details' }),
    el('div', { class: 'inline-form' }, el('label', { text: 'Category' }), category, el('label', { text: 'Language' }), language,
      el('label', { text: 'Licence' }), licence),
    el('div', { class: 'inline-form' }, el('label', { text: 'Publish at (stays private until then)' }), publish),
    error,
    el('button', { type: 'button', class: 'button', id: 'details-save', text: 'Save details', onclick: async () => {
      error.hidden = true;
      try {
        await api('/api/v1/videos/' + id + '/details', { method: 'PATCH', body: { category: category.value, language: language.value,
          licence: licence.value, publish_at: publish.value ? new Date(publish.value).toISOString() : '' } });
        toast('Details saved.');
      } catch (err) { fail(error, err); }
    } }));
}

function thumbnailSection(id, video) {
  const base = video.playback?.poster ? video.playback.poster.replace(/thumbs\/poster(\.[0-9a-z]+)?\.jpg$/, '') : null;
  const preview = el('img', { id: 'thumbnail-preview', alt: 'Current thumbnail', width: 320, height: 180,
    src: base ? video.playback.poster : '' });
  // A new thumbnail has a new URL (its revision is in the path, the old URL stays cached for good).
  const refresh = async () => {
    if (!base) return;
    try { preview.src = (await api('/api/v1/videos/' + id)).playback?.poster || preview.src; } catch { /* keep the old one */ }
  };
  const error = errorLine();
  const file = el('input', { id: 'thumbnail-file', type: 'file', accept: 'image/jpeg,image/png,image/gif,image/bmp', 'aria-label': 'Thumbnail picture' });
  const pick = async (at) => {
    error.hidden = true;
    try {
      await api('/api/v1/videos/' + id + '/thumbnail/frame', { method: 'POST', body: { at } });
      toast('Thumbnail set to ' + formatDuration(at) + '.');
      refresh();
    } catch (err) { fail(error, err); }
  };
  const frames = el('div', { class: 'frames', id: 'thumbnail-suggestions' });
  const duration = video.duration_seconds || 0;
  const scrub = el('input', { type: 'range', id: 'thumbnail-scrubber', min: 0, max: duration, step: 0.1, value: Math.min(duration, duration / 2),
    'aria-label': 'Moment for the thumbnail' });
  const scrubTime = el('span', { text: formatDuration(+scrub.value) });
  scrub.addEventListener('input', () => { scrubTime.textContent = formatDuration(+scrub.value); });
  return el('section', { id: 'tools-thumbnail' }, el('h3', { text: 'Thumbnail' }), preview,
    el('div', { class: 'inline-form' }, file, el('button', { type: 'button', class: 'button', id: 'thumbnail-upload', text: 'Upload picture',
      onclick: async () => {
        error.hidden = true;
        if (!file.files.length) return fail(error, new Error('Choose a picture first.'));
        try {
          await raw('/api/v1/videos/' + id + '/thumbnail', 'PUT', file.files[0], file.files[0].type || 'application/octet-stream');
          toast('Thumbnail uploaded.');
          refresh();
        } catch (err) { fail(error, err); }
      } })),
    el('div', { class: 'inline-form' }, el('button', { type: 'button', class: 'button', id: 'thumbnail-suggest', text: 'Suggest frames',
      onclick: async () => {
        error.hidden = true;
        try {
          const { items } = await api('/api/v1/videos/' + id + '/thumbnail/suggestions');
          frames.replaceChildren(...items.map((s) => el('button', { type: 'button', title: 'Use the frame at ' + formatDuration(s.at),
            onclick: () => pick(s.at) }, el('img', { src: base + s.path + '?t=' + Date.now(), alt: 'Frame at ' + formatDuration(s.at) }))));
        } catch (err) { fail(error, err); }
      } })),
    frames,
    el('div', { class: 'inline-form' }, scrub, scrubTime,
      el('button', { type: 'button', class: 'button', id: 'thumbnail-pick', text: 'Use this moment', onclick: () => pick(+scrub.value) })),
    error);
}

function toLocalInput(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
