// Kinora CDN tier (edge or shield), run by nginx's JavaScript module (Debian: libnginx-mod-http-js).
//
// Every media request carries a playback token in its path: /media/<expiry>.<viewer>.<sig>/<video>/<file>.
// This checks it here, with the same HMAC-SHA256 as Kinora's PlaybackTokens (first 16 bytes of
// HMAC(key, "<video>|<viewer>|<expiry>"), base64url), so a forged, expired or other-video token is
// refused without asking anyone. A valid request then continues in a location whose cache key is
// the object alone (video and file), so every viewer shares one cached copy.
//
// Takedown: the list of revoked videos (made private, deleted, taken down) is fetched from the next
// tier at most once a second (a cached subrequest). Requests for a revoked video pass by the cache
// to the origin, which decides from the video's current state (its owner may still watch it).
import crypto from 'crypto';
import fs from 'fs';

const MEDIA = /^\/media\/([^\/]+)\/([^\/]+)\/(.+)$/;

function refuse(r, status, code, message) {
    r.headersOut['Content-Type'] = 'application/json';
    r.headersOut['Cache-Control'] = 'no-store';
    r.headersOut['Access-Control-Allow-Origin'] = '*';
    r.return(status, JSON.stringify({ code: code, message: message }) + '\n');
}

function invalid(r) {
    refuse(r, 403, 'invalid_playback_token',
        'This playback link is not valid for this video; reload the video page for a new one.');
}

// Compares without stopping at the first difference, so timing does not reveal how much of a forged signature was right.
function sameText(a, b) {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return diff === 0;
}

function signature(key, video, viewer, expiry) {
    return crypto.createHmac('sha256', key).update(video + '|' + viewer + '|' + expiry)
        .digest().slice(0, 16).toString('base64url');
}

// The CORS preflight of a player on another site (Range, CMCD headers): answered here, with exactly the
// headers of the origin's own preflight (MediaCors), rather than passed upstream. Browsers cache a
// preflight per URL, so a player sending CMCD headers preflights every segment: forwarding them would
// send one uncached request per segment and viewer to the origin, the load this CDN exists to remove.
// Answering without checking the token gives nothing away: the origin's preflight does not check it
// either (a preflight carries no credentials, and its answer is the same for every media path).
const PREFLIGHT_HEADERS = 'Range, If-Range, If-None-Match, If-Modified-Since, CMCD-Request, CMCD-Object, '
    + 'CMCD-Status, CMCD-Session, Authorization'; // = MediaCors.REQUEST_HEADERS (EdgeCacheIT compares them)
const EXPOSED_HEADERS = 'Content-Length, Content-Range, Accept-Ranges, ETag, Last-Modified, Age, Date, Retry-After';

function preflight(r) {
    r.headersOut['Access-Control-Allow-Origin'] = '*';
    r.headersOut['Timing-Allow-Origin'] = '*';
    r.headersOut['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
    r.headersOut['Access-Control-Allow-Methods'] = 'GET, HEAD, OPTIONS';
    r.headersOut['Access-Control-Allow-Headers'] = PREFLIGHT_HEADERS;
    r.headersOut['Access-Control-Max-Age'] = '86400';
    r.headersOut['Allow'] = 'GET, HEAD, OPTIONS';
    r.return(204);
}

function media(r) {
    if (r.method === 'OPTIONS') return preflight(r);
    if (r.method !== 'GET' && r.method !== 'HEAD') {
        r.headersOut['Allow'] = 'GET, HEAD, OPTIONS';
        return refuse(r, 405, 'method_not_allowed', 'Media files are read with GET or HEAD.');
    }
    const m = r.uri.match(MEDIA);
    if (!m) return refuse(r, 404, 'not_found', 'Media URLs look like /media/<token>/<video>/<file>.');
    const token = m[1], video = m[2], file = m[3];
    const parts = token.split('.');
    // Kinora writes the expiry as plain decimal seconds; anything else is not one of its tokens.
    if (parts.length !== 3 || !/^[0-9]{1,15}$/.test(parts[0])) return invalid(r);
    const expiry = parseInt(parts[0], 10);
    let key;
    try {
        // Read per request (from the page cache): replacing the file rotates the key without a reload.
        key = Buffer.from(fs.readFileSync(r.variables.kinora_key_file, 'utf8').trim(), 'base64');
    } catch (e) {
        r.error('kinora: cannot read the playback key ' + r.variables.kinora_key_file + ': ' + e);
        return refuse(r, 503, 'edge_misconfigured', 'This edge cannot check playback links; try again later.');
    }
    if (!sameText(signature(key, video, parts[1], expiry), parts[2])) return invalid(r);
    if (Date.now() / 1000 >= expiry) {
        return refuse(r, 403, 'playback_token_expired', 'This playback link expired; reload the video page for a new one.');
    }
    r.subrequest('/_kinora/country-rules', { method: 'GET' }, function (rules) {
        const refusal = countryRefusal(r, rules, video);
        if (refusal) return refuse(r, 451, 'unavailable_in_country', refusal);
        r.subrequest('/_kinora/revocations', { method: 'GET' }, function (reply) {
            // No list at all (the next tier unreachable and nothing cached): serve from the cache rather
            // than stop all playback; a list that was fetched once is kept stale for as long as needed.
            if (reply.status !== 200) r.warn('kinora: revocation list unavailable (' + reply.status + '), serving from cache');
            const list = reply.status === 200 ? '\n' + reply.responseText : '\n';
            const revoked = list.indexOf('\n' + video + '\n') >= 0;
            r.internalRedirect((revoked ? '/_kinora/pass/' : '/_kinora/object/') + video + '/' + file);
        });
    });
}

// The video's country rules ("<video> allow=FR,BE block=DE", one line per restricted video), applied
// to the country this tier is told ($kinora_country). Same rules as Kinora's CountryRules: an unknown
// country passes a block list but not an allow list.
function countryRefusal(r, reply, video) {
    if (reply.status !== 200) {
        r.warn('kinora: country rules unavailable (' + reply.status + '); the origin still checks them on a miss');
        return null;
    }
    const text = '\n' + reply.responseText;
    const at = text.indexOf('\n' + video + ' ');
    if (at < 0) return null;
    const line = text.substring(at + 1, text.indexOf('\n', at + 1) < 0 ? text.length : text.indexOf('\n', at + 1));
    const field = function (name) {
        const m = line.match(new RegExp(' ' + name + '=([A-Z,]*)'));
        return m && m[1] ? m[1].split(',') : [];
    };
    const allowed = field('allow'), blocked = field('block');
    const raw = (r.variables.kinora_country || '').toUpperCase();
    const country = /^[A-Z]{2}$/.test(raw) ? raw : null;
    if (country && blocked.indexOf(country) >= 0) return 'This video is not available in your country (' + country + ').';
    if (allowed.length > 0 && (!country || allowed.indexOf(country) < 0)) {
        return country ? 'This video is not available in your country (' + country + ').'
            : 'This video is only available in some countries, and yours could not be determined.';
    }
    return null;
}

export default { media };
