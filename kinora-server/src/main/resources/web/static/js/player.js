// The Kinora player: hls.js (native HLS where MSE is missing, as on iPhone Safari) or dash.js,
// with our own controls: quality menu, speed, storyboard previews on the seek bar, keyboard keys.
import { el, formatDuration, playSession } from './app.js';
import { trafficSource } from './traffic-source.js';
import { explainRefusal, isRefusal, refusalMessage } from './refusal.js';

export class Player {
  constructor(root, engineName) {
    this.root = root;
    this.engineName = engineName;
    this.video = root.querySelector('video');
    this.q = (id) => root.querySelector('#' + id);
    this.qualities = []; // [{ index, height, bitrate }]
    this.bindControls();
  }

  /**
   * Starts playback of a ready video's playback URLs, at {@code startAt} seconds when given (the
   * viewer's resume position): the engine starts loading there, not at 0.
   */
  load(playback, { startAt, growing } = {}) {
    this.growing = !!growing; // the ladder is still being encoded: start low (see ladder-growth.js)
    this.root.dataset.state = 'paused';
    this.startAt = startAt > 0 ? startAt : null;
    if (this.startAt && this.engineName !== 'hls') {
      // dash.js and native HLS: seek once the duration is known, before the first play().
      this.video.addEventListener('loadedmetadata', () => { this.video.currentTime = this.startAt; }, { once: true });
    }
    if (this.engineName === 'dash') this.loadDash(playback.dash, playback.clearkey_license_url);
    else if (this.engineName === 'shaka') this.loadShaka(playback.dash, playback.clearkey_license_url);
    else this.loadHls(playback.hls);
    this.root.dataset.engine = this.engine;
    if (playback.storyboard) this.loadStoryboard(playback.storyboard);
    this.video.poster = playback.poster || '';
    // Start once there is something to play: calling play() while an engine is still swapping in
    // its MediaSource gets the call aborted by that load.
    this.video.addEventListener('canplay', () => this.play(), { once: true });
  }

  loadHls(url) {
    if (window.Hls && Hls.isSupported()) {
      this.engine = 'hls.js';
      // While the ladder grows, buffer only a few segments ahead so that rungs published later
      // are fetched for what is still to come (ladder-growth.js restores the default when done).
      const growing = this.growing ? { startLevel: 0, maxBufferLength: 12, maxMaxBufferLength: 12 } : { startLevel: -1 };
      const hls = new Hls({ capLevelToPlayerSize: false, startPosition: this.startAt ?? -1, ...growing });
      this.hls = hls;
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        this.setQualities(hls.levels.map((l, index) => ({ index, height: l.height, bitrate: l.bitrate, codec: l.videoCodec })));
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, () => this.showAutoQuality());
      hls.on(Hls.Events.ERROR, (event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR && isRefusal(data.response?.code)) {
          hls.stopLoad();
          explainRefusal(data.url || url).then((message) => this.showError(message));
        } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
        else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        else this.showError('This video could not be played (' + data.details + '). Try reloading the page.');
      });
      hls.loadSource(url);
      hls.attachMedia(this.video);
    } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
      this.engine = 'native';
      if (this.startAt) this.video.addEventListener('loadedmetadata', () => { this.video.currentTime = this.startAt; }, { once: true });
      this.video.src = url; // the browser picks the quality itself
      this.q('quality').hidden = true;
    } else {
      this.showError('This browser cannot play HLS video.');
    }
  }

  loadDash(url, clearkeyLicenseUrl) {
    if (!window.dashjs) return this.showError('The DASH player did not load.');
    this.engine = 'dash.js';
    const dash = dashjs.MediaPlayer().create();
    this.dash = dash;
    dash.updateSettings({ debug: { logLevel: dashjs.Debug.LOG_LEVEL_NONE } });
    dash.on(dashjs.MediaPlayer.events.STREAM_INITIALIZED, () => {
      this.setQualities(dash.getBitrateInfoListFor('video').map((b) => ({ index: b.qualityIndex, height: b.height, bitrate: b.bitrate })));
    });
    dash.on(dashjs.MediaPlayer.events.QUALITY_CHANGE_RENDERED, () => this.showAutoQuality());
    // A protected video: its tracks are CENC-encrypted, and the browser's ClearKey CDM gets the key from our licence endpoint.
    if (clearkeyLicenseUrl) dash.setProtectionData({ 'org.w3.clearkey': { serverURL: clearkeyLicenseUrl } });
    dash.on(dashjs.MediaPlayer.events.ERROR, async (e) => {
      if (this.root.dataset.state === 'error') return;
      const code = e.error?.code;
      // A refused manifest or licence (country, expired link, taken down, age): the origin's own sentence.
      const refused = await refusalMessage(url);
      if (refused) this.showError(refused);
      else if (code >= 100 && code < 120) {
        this.showError('This video is protected and this browser could not decrypt it (' + (e.error?.message || 'key system error') + ').');
      } else this.showError('This video could not be played (' + (e.error?.message || 'DASH error') + '). Try reloading the page.');
    });
    dash.initialize(this.video, url, false);
  }

  /** Shaka Player on the same MPD (ClearKey licence for a protected video, like dash.js). */
  async loadShaka(url, clearkeyLicenseUrl) {
    if (!window.shaka) return this.showError('The Shaka player did not load.');
    shaka.polyfill.installAll();
    if (!shaka.Player.isBrowserSupported()) return this.showError('This browser cannot play DASH video.');
    this.engine = 'shaka';
    const player = new shaka.Player();
    this.shaka = player;
    const failed = async (error) => {
      if (this.root.dataset.state === 'error') return;
      const refused = await refusalMessage(url);
      if (refused) this.showError(refused);
      else if (error?.category === 6) this.showError('This video is protected and this browser could not decrypt it (Shaka error ' + error.code + ').');
      else this.showError('This video could not be played (Shaka error ' + (error?.code ?? '?') + '). Try reloading the page.');
    };
    player.addEventListener('error', (e) => failed(e.detail));
    try {
      await player.attach(this.video);
      if (clearkeyLicenseUrl) player.configure({ drm: { servers: { 'org.w3.clearkey': clearkeyLicenseUrl } } });
      await player.load(url, this.startAt ?? undefined);
      this.setQualities(player.getVariantTracks().map((t) => ({ index: t.id, height: t.height, bitrate: t.bandwidth })));
    } catch (e) {
      failed(e);
    }
  }

  setQualities(levels) {
    this.qualities = levels.slice().sort((a, b) => b.height - a.height);
    const select = this.q('quality');
    select.replaceChildren(el('option', { value: '-1', text: 'Auto' }),
      // With AV1 rungs on (and a browser that decodes AV1) each size may be listed twice: say which is which.
      ...this.qualities.map((l) => el('option', { value: String(l.index), text: l.height + 'p' + (String(l.codec || '').startsWith('av01') ? ' AV1' : '') })));
  }

  /** Picks a quality: -1 for automatic, otherwise the level index; switches at once. */
  setQuality(index) {
    if (this.hls) {
      this.hls.currentLevel = index; // flushes the buffer so the new quality shows immediately
    } else if (this.dash) {
      const auto = index < 0;
      this.dash.updateSettings({ streaming: { abr: { autoSwitchBitrate: { video: auto } } } });
      if (!auto) this.dash.setQualityFor('video', index, true);
    } else if (this.shaka) {
      const auto = index < 0;
      this.shaka.configure({ abr: { enabled: auto } });
      const track = this.shaka.getVariantTracks().find((t) => t.id === index);
      if (!auto && track) this.shaka.selectVariantTrack(track, true);
    }
  }

  showAutoQuality() {
    const select = this.q('quality');
    const auto = select.querySelector('option[value="-1"]');
    if (!auto) return;
    const h = this.video.videoHeight;
    auto.textContent = select.value === '-1' && h ? `Auto (${h}p)` : 'Auto';
  }

  play() {
    const p = this.video.play();
    if (p) {
      p.catch((e) => {
        if (e.name === 'NotAllowedError') this.q('big-play').hidden = false; // autoplay refused: wait for a click
      });
    }
  }

  toggle() {
    if (this.video.paused) this.play(); else this.video.pause();
  }

  seekBy(seconds) {
    const d = this.video.duration || 0;
    this.video.currentTime = Math.max(0, Math.min(d, this.video.currentTime + seconds));
  }

  toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else this.root.requestFullscreen?.().catch(() => {});
  }

  bindControls() {
    const v = this.video;
    const playPause = this.q('play-pause');
    const mute = this.q('mute');
    const seek = this.q('seek-bar');
    const time = this.q('time');
    const volume = this.q('volume');
    let seeking = false;

    this.q('big-play').addEventListener('click', () => { this.q('big-play').hidden = true; this.play(); });
    playPause.addEventListener('click', () => this.toggle());
    v.addEventListener('click', () => this.toggle());
    v.addEventListener('dblclick', () => this.toggleFullscreen());
    v.addEventListener('play', () => {
      this.root.dataset.state = 'playing';
      this.q('big-play').hidden = true;
      playPause.setAttribute('aria-label', 'Pause');
    });
    v.addEventListener('pause', () => {
      this.root.dataset.state = 'paused';
      playPause.setAttribute('aria-label', 'Play');
    });
    const showTime = () => {
      if (!seeking) seek.value = String(v.currentTime);
      time.textContent = `${formatDuration(v.currentTime)} / ${formatDuration(v.duration || 0)}`;
    };
    v.addEventListener('timeupdate', showTime);
    v.addEventListener('durationchange', () => { seek.max = String(v.duration || 0); showTime(); });
    v.addEventListener('resize', () => this.showAutoQuality());
    seek.addEventListener('input', () => { seeking = true; time.textContent = `${formatDuration(+seek.value)} / ${formatDuration(v.duration || 0)}`; });
    seek.addEventListener('change', () => { v.currentTime = +seek.value; seeking = false; });

    mute.addEventListener('click', () => { v.muted = !v.muted; });
    volume.addEventListener('input', () => { v.volume = +volume.value; v.muted = v.volume === 0; });
    v.addEventListener('volumechange', () => {
      this.root.classList.toggle('is-muted', v.muted || v.volume === 0);
      mute.setAttribute('aria-label', v.muted ? 'Unmute' : 'Mute');
      volume.value = v.muted ? '0' : String(v.volume);
    });
    this.q('speed').addEventListener('change', (e) => { v.playbackRate = +e.target.value; });
    this.q('quality').addEventListener('change', (e) => { this.setQuality(+e.target.value); this.showAutoQuality(); });
    this.q('fullscreen').addEventListener('click', () => this.toggleFullscreen());

    // Keyboard: space/k play-pause, ←/→ 5 s, f full screen, m mute; not while typing in a field.
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t.closest && t.closest('input:not([type=range]), textarea, select, [contenteditable], dialog')) return;
      if (t.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return; // the button's own action
      const handled = { ' ': () => this.toggle(), k: () => this.toggle(), ArrowLeft: () => this.seekBy(-5),
        ArrowRight: () => this.seekBy(5), f: () => this.toggleFullscreen(), m: () => { v.muted = !v.muted; } }[e.key];
      if (handled) { e.preventDefault(); handled(); this.wake(); }
    });

    // Controls fade while playing and the pointer rests.
    let idleTimer;
    this.wake = () => {
      this.root.classList.remove('idle');
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => this.root.classList.add('idle'), 2500);
    };
    this.root.addEventListener('pointermove', this.wake);
    this.root.addEventListener('focusin', this.wake);
  }

  /** Storyboard: WebVTT cues pointing at sprite regions, shown above the seek bar on hover. */
  async loadStoryboard(url) {
    let cues;
    try {
      const res = await fetch(url);
      if (!res.ok) return; // still being made, or none: no previews
      cues = parseStoryboard(await res.text(), url);
    } catch (e) {
      return;
    }
    if (!cues.length) return;
    const seek = this.q('seek');
    const box = this.q('storyboard');
    const image = box.querySelector('.storyboard-image');
    const label = box.querySelector('.storyboard-time');
    const show = (clientX) => {
      const rect = seek.getBoundingClientRect();
      const fraction = Math.max(0, Math.min(1, (clientX - rect.left) / rect.width));
      const t = fraction * (this.video.duration || cues[cues.length - 1].end);
      const cue = cues.find((c) => t >= c.start && t < c.end) || cues[cues.length - 1];
      image.style.width = cue.w + 'px';
      image.style.height = cue.h + 'px';
      image.style.backgroundImage = `url("${cue.src}")`;
      image.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
      label.textContent = formatDuration(t);
      const playerRect = this.root.getBoundingClientRect();
      const half = cue.w / 2 + 4;
      box.style.left = Math.max(half, Math.min(playerRect.width - half, clientX - playerRect.left)) + 'px';
      box.hidden = false;
    };
    seek.addEventListener('pointermove', (e) => show(e.clientX));
    seek.addEventListener('pointerleave', () => { box.hidden = true; });
    this.root.dataset.storyboard = 'ready';
  }

  showError(message) {
    const err = this.q('player-error');
    err.textContent = message;
    err.hidden = false;
    this.root.dataset.state = 'error';
  }
}

/**
 * Reports playback to {@code POST /api/v1/videos/{id}/events}: "start" on the first play, a
 * "heartbeat" with the position every 10 s while playing and whenever playback pauses or the page
 * is left (a keepalive request outlives the page), and "complete" at the end. The server counts
 * the view and keeps the signed-in viewer's resume position from these.
 */
export class PlayReporter {
  static HEARTBEAT_MS = 10_000;

  constructor(video, videoId) {
    this.video = video;
    this.url = '/api/v1/videos/' + encodeURIComponent(videoId) + '/events';
    this.origin = trafficSource(); // analytics: where this play came from
    this.lastPosition = 0;
    // A seek closes the stretch watched so far (heartbeat at the old position) and opens a new one.
    video.addEventListener('timeupdate', () => { if (!video.seeking) this.lastPosition = video.currentTime || 0; });
    video.addEventListener('seeking', () => {
      if (!this.started) return;
      const to = video.currentTime || 0;
      // In this order: the seek must arrive last, or the resume position would be the old one.
      this.send('heartbeat', this.lastPosition).finally(() => this.send('seek', to));
      this.lastPosition = to;
    });
    this.session = playSession(); // anonymous viewers are counted by it; harmless when signed in
    this.started = false;
    this.completed = false;
    this.timer = null;
    video.addEventListener('playing', () => {
      if (!this.started) {
        this.started = true;
        this.send('start');
      }
      this.completed = false; // watching again after the end
      clearInterval(this.timer);
      this.timer = setInterval(() => this.send('heartbeat'), PlayReporter.HEARTBEAT_MS);
    });
    video.addEventListener('pause', () => {
      clearInterval(this.timer);
      if (!video.ended && this.started) this.send('heartbeat');
    });
    video.addEventListener('ended', () => {
      clearInterval(this.timer);
      if (!this.completed) {
        this.completed = true;
        this.send('complete');
      }
    });
    const leaving = () => {
      if (this.started && !this.completed && !video.paused) this.send('heartbeat');
    };
    addEventListener('pagehide', leaving);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') leaving(); });
  }

  send(type, at = this.video.currentTime) {
    const position = Math.round((at || 0) * 10) / 10;
    // keepalive: the request is still delivered when it was sent while the page unloads.
    return fetch(this.url, { method: 'POST', keepalive: true, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type, position_seconds: position, session_id: this.session, ...this.origin }) }).catch(() => { /* best effort */ });
  }
}

/** Parses "00:00:04.000 --> 00:00:08.000" + "sprite_0.jpg#xywh=160,0,160,90" cues. */
export function parseStoryboard(text, baseUrl) {
  const cues = [];
  const blocks = text.replace(/\r/g, '').split('\n\n');
  const seconds = (s) => s.split(':').reduce((acc, part) => acc * 60 + parseFloat(part), 0);
  for (const block of blocks) {
    const lines = block.trim().split('\n');
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0 || !lines[timing + 1]) continue;
    const [from, to] = lines[timing].split('-->').map((s) => seconds(s.trim().split(' ')[0]));
    const m = lines[timing + 1].match(/^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/);
    if (!m) continue;
    cues.push({ start: from, end: to, src: new URL(m[1], baseUrl).href, x: +m[2], y: +m[3], w: +m[4], h: +m[5] });
  }
  return cues;
}
