// Why a video does not play here: the media origin and the CDN edge refuse with a JSON body whose
// message says it (451 outside the video's countries, 403 for an expired or foreign link, 404 for
// a video taken down). The player shows that message instead of retrying for ever.
const REFUSALS = new Set([403, 404, 410, 451]);

/** Whether an HTTP status from a media request is a refusal worth explaining (not a passing network fault). */
export function isRefusal(status) {
  return REFUSALS.has(status);
}

/** The refusal's own message, read from the refused URL, or a generic one. */
export async function explainRefusal(url) {
  try {
    const res = await fetch(url, { credentials: 'omit' });
    const body = await res.json();
    if (body && typeof body.message === 'string') return body.message;
  } catch (e) {
    // not JSON, or the network: fall through
  }
  return 'This video cannot be played here.';
}

/** The refusal's message when {@code url} is refused (403/404/410/451), else null (a network fault, or it plays). */
export async function refusalMessage(url) {
  try {
    const res = await fetch(url, { credentials: 'omit' });
    if (!isRefusal(res.status)) return null;
    const body = await res.json();
    if (body && typeof body.message === 'string') return body.message;
  } catch (e) {
    return null;
  }
  return 'This video cannot be played here.';
}
