// Upload: tus with progress, speed and time left, pause/resume, automatic retries after a dropped
// connection, and resuming after a reload (tus fingerprint); then live processing progress (SSE).
import { api, formatBytes, formatDuration, setProgress } from './app.js';

const $ = (id) => document.getElementById(id);
const form = $('upload-form');
const fileInput = $('file');
const dropzone = $('dropzone');
const formError = $('form-error');
const uploadPanel = $('upload-panel');
const processingPanel = $('processing-panel');
const CHUNK_BYTES = 8 * 1024 * 1024;

let file = null;
let upload = null;
let videoId = null;
let samples = [];

showUnfinishedUploads();

fileInput.addEventListener('change', () => choose(fileInput.files[0]));
for (const name of ['dragenter', 'dragover']) {
  dropzone.addEventListener(name, (e) => { e.preventDefault(); dropzone.classList.add('dragging'); });
}
for (const name of ['dragleave', 'drop']) {
  dropzone.addEventListener(name, () => dropzone.classList.remove('dragging'));
}
dropzone.addEventListener('drop', (e) => {
  e.preventDefault();
  if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
});

function choose(f) {
  if (!f) return;
  file = f;
  $('file-name').textContent = `${f.name} · ${formatBytes(f.size)}`;
  if (!form.title.value.trim()) form.title.value = f.name.replace(/\.[^.]+$/, '');
  formError.hidden = true;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  formError.hidden = true;
  if (!file) return fail('Choose a video file first.');
  if (!form.title.value.trim()) return fail('Give your video a title.');
  $('start').disabled = true;
  upload = new tus.Upload(file, {
    endpoint: '/api/v1/uploads',
    chunkSize: CHUNK_BYTES,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    metadata: {
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      title: form.title.value.trim(),
      description: form.description.value,
      privacy: form.privacy.value,
    },
    onAfterResponse(req, res) {
      const id = res.getHeader('Kinora-Video-Id');
      if (id) videoId = id;
    },
    onProgress: showProgress,
    onError(error) {
      $('upload-label').textContent = 'Upload stopped';
      fail(reason(error));
      $('pause').hidden = true;
      $('resume').hidden = false;
    },
    onSuccess() {
      window.removeEventListener('beforeunload', warnBeforeLeaving);
      $('upload-label').textContent = 'Upload complete';
      $('upload-speed').textContent = '';
      $('upload-eta').textContent = '';
      $('pause').hidden = true;
      $('resume').hidden = true;
      followProcessing(videoId);
    },
  });
  const previous = await upload.findPreviousUploads();
  if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
  form.hidden = true;
  $('resume-notice').hidden = true;
  uploadPanel.hidden = false;
  window.addEventListener('beforeunload', warnBeforeLeaving);
  samples = [];
  upload.start();
});

$('pause').addEventListener('click', () => {
  upload.abort();
  $('upload-label').textContent = 'Paused';
  $('pause').hidden = true;
  $('resume').hidden = false;
  $('upload-speed').textContent = '';
  $('upload-eta').textContent = '';
});
$('resume').addEventListener('click', () => {
  formError.hidden = true;
  $('upload-label').textContent = 'Uploading';
  $('pause').hidden = false;
  $('resume').hidden = true;
  samples = [];
  upload.start();
});

function showProgress(sent, total) {
  const percent = total ? (sent / total) * 100 : 0;
  setProgress($('upload-progress'), percent);
  $('upload-percent').textContent = Math.floor(percent) + ' %';
  $('upload-bytes').textContent = `${formatBytes(sent)} of ${formatBytes(total)}`;
  const now = performance.now();
  samples.push([now, sent]);
  while (samples.length > 2 && now - samples[0][0] > 5000) samples.shift();
  const [t0, b0] = samples[0];
  const seconds = (now - t0) / 1000;
  if (seconds > 0.3 && sent > b0) {
    const speed = (sent - b0) / seconds;
    $('upload-speed').textContent = formatBytes(speed) + '/s';
    $('upload-eta').textContent = sent < total ? formatDuration((total - sent) / speed) + ' left' : '';
  }
}

/** Live processing progress over server-sent events, until the video is fully ready or failed. */
function followProcessing(id) {
  processingPanel.hidden = false;
  const link = $('watch-link');
  link.href = '/watch/' + encodeURIComponent(id);
  const events = new EventSource('/api/v1/videos/' + encodeURIComponent(id) + '/events');
  events.addEventListener('status', (e) => {
    const s = JSON.parse(e.data);
    setProgress($('processing-progress'), s.progress);
    $('processing-percent').textContent = s.progress + ' %';
    if (s.status === 'ready') {
      link.hidden = false;
      $('processing-label').textContent = s.progress >= 100 ? 'Ready' : 'Playable';
      $('processing-note').textContent = s.progress >= 100
        ? 'Every quality is ready.'
        : 'Your video can be watched now; higher qualities are still being prepared.';
    }
    if (s.status === 'failed' || s.status === 'deleted') {
      $('processing-label').textContent = s.status === 'failed' ? 'Processing failed' : 'Deleted';
      $('processing-note').hidden = true;
      const err = $('processing-error');
      err.textContent = s.failure_reason || 'This video was deleted.';
      err.hidden = false;
    }
    if (s.status === 'failed' || s.status === 'deleted' || (s.status === 'ready' && s.progress >= 100)) events.close();
  });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) {
      $('processing-note').textContent = 'Lost the live progress; your video keeps processing. See it in your videos.';
    }
  };
}

function showUnfinishedUploads() {
  tus.defaultOptions.urlStorage.findAllUploads().then((uploads) => {
    if (!uploads.length) return;
    const u = uploads.sort((a, b) => (b.creationTime > a.creationTime ? 1 : -1))[0];
    $('resume-name').textContent = u.metadata?.filename || 'a video';
    $('resume-percent').textContent = formatBytes(u.size) + ' in all';
    $('resume-notice').hidden = false;
  }).catch(() => {});
}

function reason(error) {
  const res = error.originalResponse;
  if (res) {
    try {
      const body = JSON.parse(res.getBody());
      if (body.message) return body.message;
    } catch (e) { /* not our JSON */ }
    return `The server refused the upload (${res.getStatus()}).`;
  }
  return 'The connection was lost. Press Resume to continue from where it stopped.';
}

function fail(message) {
  formError.textContent = message;
  formError.hidden = false;
  if (!uploadPanel.hidden) {
    uploadPanel.append(formError);
  }
  $('start').disabled = false;
}

function warnBeforeLeaving(e) {
  e.preventDefault();
  e.returnValue = '';
}
