// Video cards anywhere: hidden when the viewer blocked the channel, blurred with a click-through
// when a moderator marked the video sensitive. Self-contained (no import of app.js, which imports it).
const seen = new WeakSet();
let pending = [];
let timer = null;

function collect(root) {
  for (const card of root.querySelectorAll ? root.querySelectorAll('.video-card[data-video-id]') : []) {
    if (seen.has(card)) continue;
    seen.add(card);
    pending.push(card);
  }
  if (pending.length && !timer) timer = setTimeout(flush, 30);
}

async function flush() {
  timer = null;
  const cards = pending;
  pending = [];
  const ids = [...new Set(cards.map((c) => c.dataset.videoId))];
  for (let i = 0; i < ids.length; i += 100) {
    let res;
    try {
      const r = await fetch('/api/v1/moderation/flags?ids=' + encodeURIComponent(ids.slice(i, i + 100).join(',')),
        { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!r.ok) continue;
      res = await r.json();
    } catch (e) {
      continue; // flags are a nicety on cards; the watch page checks them again
    }
    for (const card of cards) {
      const f = res.items[card.dataset.videoId];
      if (!f) continue;
      if (f.hidden) card.remove();
      else if (f.sensitive || f.age_restricted) blur(card);
    }
  }
}

function blur(card) {
  card.classList.add('sensitive');
  const thumb = card.querySelector('.thumb');
  if (!thumb || thumb.querySelector('.sensitive-label')) return;
  const label = document.createElement('button');
  label.type = 'button';
  label.className = 'sensitive-label';
  label.textContent = 'Sensitive content: show';
  label.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    card.classList.remove('sensitive');
    label.remove();
  });
  thumb.append(label);
}

collect(document);
new MutationObserver((changes) => {
  for (const c of changes) for (const n of c.addedNodes) if (n.nodeType === 1) collect(n.parentNode || n);
}).observe(document.body, { childList: true, subtree: true });
