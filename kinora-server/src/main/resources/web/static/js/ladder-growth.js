// A video plays while its ladder is still being encoded: the master playlist lists every rung
// from the start, but only the published ones have media playlists yet. Until the ladder is
// complete, hls.js starts on the lowest rung, buffers only a few segments ahead (player.js) and
// is capped to the published rungs; the cap rises as the status stream reports new rungs, so the
// fragments still to come are fetched at the better rungs and the picture sharpens without a
// reload (hls.js never reloads the master by itself).

//
// When the first pass copied the source's own video stream (rendition "source", see
// docs/vod-pipeline.md "Source copy"), that copy is the only published video until the whole
// ladder is: hls.js plays it as a manual level, then goes automatic over the ladder, capped
// below the copy, when the status stream says the ladder is complete.

/** The folder of the copied source's rendition: a level whose playlist is in it is the copy. */
const COPY = 'source';
const isCopy = (level) => String(level.url || level.uri || '').includes('/' + COPY + '/');

/** Follows the video's status stream while it is processing; does nothing once it is complete. */
export function followLadder(player, video) {
  const hls = player.hls;
  if (!hls || video.progress >= 100) return;
  let published = (video.renditions || []).map((r) => r.height);
  let copied = (video.renditions || []).some((r) => r.name === COPY);
  const ladderTop = () => {
    let top = -1;
    (hls.levels || []).forEach((l, i) => { if (!isCopy(l)) top = i; });
    return top;
  };
  const cap = () => {
    if (!hls.levels || hls.levels.length === 0) return;
    const copy = hls.levels.findIndex(isCopy);
    if (copied && copy >= 0) {
      // Only the copy has a playlist yet: play it, and no other level, until the ladder is done.
      if (hls.autoLevelEnabled || hls.loadLevel !== copy) {
        hls.startLevel = copy;
        hls.loadLevel = copy;
      }
      player.root.dataset.ladderCap = COPY;
      return;
    }
    if (copy >= 0 && !hls.autoLevelEnabled) hls.loadLevel = -1; // the copy left the ladder: automatic again
    const highest = Math.max(0, ...published);
    let index = 0;
    hls.levels.forEach((l, i) => { if (l.height <= highest && !isCopy(l)) index = i; });
    const raised = index > hls.autoLevelCapping && hls.autoLevelCapping >= 0;
    hls.autoLevelCapping = index;
    // A new rung is published: try it for the next fragment (the ABR drops back if the network cannot carry it).
    if (raised) hls.nextAutoLevel = index;
    player.root.dataset.ladderCap = String(highest);
  };
  hls.on(window.Hls.Events.MANIFEST_PARSED, cap);
  cap();
  const events = new EventSource('/api/v1/videos/' + encodeURIComponent(video.id) + '/events');
  events.addEventListener('status', (e) => {
    const s = JSON.parse(e.data);
    if (Array.isArray(s.renditions)) {
      published = s.renditions.map((r) => r.height);
      copied = s.renditions.some((r) => r.name === COPY);
    }
    if (s.status !== 'ready' || s.progress >= 100) {
      events.close();
      if (s.status === 'ready') {
        const copy = (hls.levels || []).findIndex(isCopy);
        if (copy >= 0) {
          // The ladder replaced the copy: automatic again, over the ladder's levels (the copy
          // sorts above them whenever its rate is higher, which the cap then leaves out).
          const top = ladderTop();
          hls.loadLevel = -1;
          hls.autoLevelCapping = copy > top ? top : -1;
          hls.nextAutoLevel = top;
          hls.config.maxBufferLength = window.Hls.DefaultConfig.maxBufferLength;
          hls.config.maxMaxBufferLength = window.Hls.DefaultConfig.maxMaxBufferLength;
          player.root.dataset.ladderCap = 'all';
          return;
        }
        const top = (hls.levels || []).length - 1;
        if (hls.autoLevelCapping >= 0 && hls.autoLevelCapping < top) hls.nextAutoLevel = top;
        hls.autoLevelCapping = -1;
        hls.config.maxBufferLength = window.Hls.DefaultConfig.maxBufferLength;
        hls.config.maxMaxBufferLength = window.Hls.DefaultConfig.maxMaxBufferLength;
      }
      player.root.dataset.ladderCap = 'all';
      return;
    }
    cap();
  });
}
