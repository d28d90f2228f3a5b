// Where a play came from, for Studio analytics: from the watch URL (?src=, ?list=, the embed
// path) or the page that linked here (document.referrer; Kinora's pages send their full URL to
// their own origin and only the origin elsewhere: Referrer-Policy strict-origin-when-cross-origin).

const KNOWN = ['search', 'home', 'subscriptions', 'related', 'playlist', 'channel', 'embed', 'external', 'direct'];

function host(url) {
  try { return new URL(url).hostname; } catch (e) { return null; }
}

/** {source, referrer_domain?} as POST /api/v1/videos/{id}/events takes them. */
export function trafficSource(loc = location, referrer = document.referrer) {
  const params = new URLSearchParams(loc.search);
  if (loc.pathname.startsWith('/embed/')) {
    const domain = referrer ? host(referrer) : null;
    return domain && new URL(referrer).origin !== loc.origin ? { source: 'embed', referrer_domain: domain } : { source: 'embed' };
  }
  const explicit = params.get('src');
  if (explicit && KNOWN.includes(explicit)) return { source: explicit };
  if (params.get('list')) return { source: 'playlist' };
  if (!referrer) return { source: 'direct' };
  let ref;
  try { ref = new URL(referrer); } catch (e) { return { source: 'direct' }; }
  if (ref.origin !== loc.origin) return { source: 'external', referrer_domain: ref.hostname };
  const p = ref.pathname;
  if (p === '/' || p === '/trending') return { source: 'home' };
  if (p === '/search') return { source: 'search' };
  if (p.startsWith('/feed/subscriptions')) return { source: 'subscriptions' };
  if (p.startsWith('/watch/')) return { source: 'related' };
  if (p.startsWith('/playlist')) return { source: 'playlist' };
  if (p.startsWith('/channel/')) return { source: 'channel' };
  return { source: 'direct' };
}
