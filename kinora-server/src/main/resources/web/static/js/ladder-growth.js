// A video plays while its ladder is still being encoded: the master playlist lists every rung
// from the start, but only the published ones have media playlists yet. Until the ladder is
// complete, hls.js starts on the lowest rung, buffers only a few segments ahead (player.js) and
// is capped to the published rungs; the cap rises as the status stream reports new rungs, so the
// fragments still to come are fetched at the better rungs and the picture sharpens without a
// reload (hls.js never reloads the master by itself).

/** Follows the video's status stream while it is processing; does nothing once it is complete. */
export function followLadder(player, video) {
  const hls = player.hls;
  if (!hls || video.progress >= 100) return;
  let published = (video.renditions || []).map((r) => r.height);
  const cap = () => {
    if (!hls.levels || hls.levels.length === 0) return;
    const highest = Math.max(0, ...published);
    let index = 0;
    hls.levels.forEach((l, i) => { if (l.height <= highest) index = i; });
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
    if (Array.isArray(s.renditions)) published = s.renditions.map((r) => r.height);
    if (s.status !== 'ready' || s.progress >= 100) {
      events.close();
      if (s.status === 'ready') {
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
