// Captions and chapters on the watch page (issue 19), kept apart from watch.js: a CC button and a
// language menu in the player's controls (the choice is remembered in this browser), chapter
// marks on the seek bar with the current chapter's title beside the time, and the chapter list
// under the player. Cue and chapter text only ever become text nodes or the browser's own
// WebVTT cue nodes (getCueAsHTML, which yields only b/i/u/ruby/span and text).
//
// Cues are drawn by the page, not the browser: the chosen track is in mode 'hidden' (its cues
// still load and fire cuechange) and the active cues go into a box just above the control bar.
// Each browser draws 'showing' cues at the bottom of the video, under our controls: Chromium and
// Safari could be nudged with ::-webkit-media-text-track-container, but Firefox offers no such
// hook (::cue styles colours and fonts, not position). One box places them the same everywhere.
import { api, el, formatDuration } from './app.js';

const CHOICE_KEY = 'kinora.captions';

/** Sets up captions and chapters for {@code video} once the player knows the duration. */
export function initCaptionsAndChapters(player, video) {
  const id = encodeURIComponent(video.id);
  const captions = api('/api/v1/videos/' + id + '/captions').then((r) => r.items).catch(() => []);
  const chapters = api('/api/v1/videos/' + id + '/chapters').then((r) => r.items).catch(() => []);
  const v = player.video;
  const whenReady = (fn) => (v.readyState >= 1 ? fn() : v.addEventListener('loadedmetadata', fn, { once: true }));
  whenReady(async () => {
    showChapters(player, await chapters);
    showCaptionControls(player, await captions);
  });
}

// ---- captions ----------------------------------------------------------------------------

function showCaptionControls(player, tracks) {
  if (!tracks.length || player.root.querySelector('#cc')) return;
  const row = player.root.querySelector('.control-row');
  const quality = player.root.querySelector('#quality');
  const menu = el('select', { id: 'cc-lang', class: 'ctl-select', title: 'Subtitles language', 'aria-label': 'Subtitles language' },
    ...tracks.map((t) => el('option', { value: t.language, text: t.label })));
  const button = el('button', { type: 'button', id: 'cc', class: 'ctl cc', 'aria-pressed': 'false',
    title: 'Subtitles/closed captions (c)', 'aria-label': 'Subtitles' }, 'CC');
  row.insertBefore(button, quality ? quality.previousElementSibling || quality : null);
  row.insertBefore(menu, button.nextSibling);

  const saved = localStorage.getItem(CHOICE_KEY);
  const initial = tracks.find((t) => t.language === saved);
  if (initial) menu.value = initial.language;
  const apply = (language) => {
    selectTrack(player, tracks, language);
    button.setAttribute('aria-pressed', String(language !== null));
    button.classList.toggle('on', language !== null);
    player.root.dataset.captions = language || 'off';
  };
  button.addEventListener('click', () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    localStorage.setItem(CHOICE_KEY, on ? menu.value : 'off');
    apply(on ? menu.value : null);
  });
  menu.addEventListener('change', () => {
    localStorage.setItem(CHOICE_KEY, menu.value);
    apply(menu.value);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'c' && !e.target.closest('input, textarea, select, [contenteditable]')) button.click();
  });
  apply(initial ? initial.language : null);
  drawCues(player);
}

/** The box above the controls where the active cues of the chosen track are drawn. */
function drawCues(player) {
  const v = player.video;
  const controls = player.root.querySelector('.controls');
  const box = el('div', { class: 'cue-box', id: 'cue-box', hidden: true });
  controls.before(box);
  // The box sits on the control bar's top edge, wherever the bar's height comes out.
  const measure = () => player.root.style.setProperty('--controls-height', controls.offsetHeight + 'px');
  new ResizeObserver(measure).observe(controls);
  measure();
  const draw = () => {
    const on = player.root.dataset.captions && player.root.dataset.captions !== 'off';
    const track = on ? [...v.textTracks].find((t) => isText(t) && t.mode !== 'disabled') : null;
    // Never let the browser draw them too (hls.js or a browser may set a track to 'showing').
    for (const t of v.textTracks) if (isText(t) && t.mode === 'showing') t.mode = 'hidden';
    const cues = track && track.activeCues ? [...track.activeCues] : [];
    box.replaceChildren(...cues.map((c) => {
      const line = el('span', { class: 'cue' });
      line.append(typeof c.getCueAsHTML === 'function' ? c.getCueAsHTML() : document.createTextNode(c.text));
      return line;
    }));
    box.hidden = cues.length === 0;
  };
  const watch = (t) => t.addEventListener('cuechange', draw);
  [...v.textTracks].forEach(watch);
  v.textTracks.addEventListener('addtrack', (e) => { watch(e.track); draw(); });
  v.textTracks.addEventListener('change', draw);
  v.addEventListener('seeked', draw);
  new MutationObserver(draw).observe(player.root, { attributes: true, attributeFilter: ['data-captions'] });
  draw();
}

const isText = (t) => t.kind === 'subtitles' || t.kind === 'captions';

/**
 * hls.js reads the master's SUBTITLES group and fetches the chosen WebVTT itself; dash.js and
 * native HLS expose the manifest's text tracks as TextTracks. Where a language is in neither,
 * a <track> with the API's WebVTT is added.
 */
function selectTrack(player, tracks, language) {
  const hls = player.hls;
  if (hls && hls.subtitleTracks && hls.subtitleTracks.length) {
    const index = language === null ? -1 : hls.subtitleTracks.findIndex((t) => t.lang === language);
    hls.subtitleDisplay = false; // cues load into a 'hidden' track; drawCues shows them
    hls.subtitleTrack = index;
    return;
  }
  if (hls) {
    // The manifest is not parsed yet: choose once it is.
    hls.once(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, () => selectTrack(player, tracks, language));
    return;
  }
  const v = player.video;
  let chosen = null;
  if (language !== null) {
    chosen = [...v.textTracks].find((t) => t.language === language && (t.kind === 'subtitles' || t.kind === 'captions'));
    if (!chosen) {
      const track = tracks.find((t) => t.language === language);
      const node = el('track', { kind: 'subtitles', srclang: track.language, label: track.label, src: track.url });
      v.append(node);
      chosen = node.track;
    }
  }
  for (const t of v.textTracks) {
    if (isText(t)) t.mode = t === chosen ? 'hidden' : 'disabled';
  }
}

// ---- chapters ----------------------------------------------------------------------------

function showChapters(player, chapters) {
  const duration = player.video.duration;
  if (!chapters.length || !Number.isFinite(duration) || duration <= 0) return;
  const seek = player.root.querySelector('#seek');
  const marks = el('div', { class: 'chapter-marks', 'aria-hidden': 'true' },
    ...chapters.slice(1).map((c) => el('span', { class: 'chapter-mark', title: c.title,
      style: `left: ${(100 * c.start / duration).toFixed(3)}%` })));
  seek.append(marks);

  const time = player.root.querySelector('#time');
  const current = el('span', { class: 'chapter-current', id: 'chapter-current' });
  time.after(current);
  const at = (t) => chapters.reduce((found, c) => (c.start <= t ? c : found), chapters[0]);
  const update = () => { current.textContent = '· ' + at(player.video.currentTime).title; };
  player.video.addEventListener('timeupdate', update);
  player.video.addEventListener('seeking', update);
  update();
  // The hover preview above the seek bar names the chapter under the pointer.
  seek.addEventListener('pointermove', (e) => {
    const rect = seek.getBoundingClientRect();
    const t = Math.max(0, Math.min(1, (e.clientX - rect.left) / rect.width)) * duration;
    seek.title = at(t).title + ' · ' + formatDuration(t);
  });

  const section = document.getElementById('chapters');
  if (!section) return;
  section.replaceChildren(el('h2', { class: 'chapters-title', text: 'Chapters' }),
    el('ol', { class: 'chapter-list' }, ...chapters.map((c) => el('li', {},
      el('button', { type: 'button', class: 'chapter-link', onclick: () => { player.video.currentTime = c.start; player.play(); } },
        el('span', { class: 'chapter-time', text: c.time }), ' ', el('span', { text: c.title }))))));
  section.hidden = false;
}
