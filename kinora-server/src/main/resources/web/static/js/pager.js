// One cursor-paginated list of the API. Every list endpoint answers { items, next_cursor }, with
// next_cursor null on the last page; the cursor is opaque, so it is only ever passed back as is.
// A failed request leaves the position unchanged, so trying again fetches the same page.
import { api } from './app.js';

/**
 * pager('/api/v1/me/feed', { limit: '24' }): each next() resolves to the items of the following
 * page; done is true once the last page was fetched. params may be a function, read at every
 * request (the comments' sort); reset() starts again from the first page.
 */
export function pager(path, params = {}, fetchJson = api) {
  let cursor = null;
  let done = false;
  // Counts resets: a page still on its way when the list was reset belongs to the old list and must not move the position.
  let epoch = 0;
  return {
    get done() { return done; },
    reset() {
      cursor = null;
      done = false;
      epoch++;
    },
    async next() {
      if (done) return [];
      const started = epoch;
      const q = new URLSearchParams(typeof params === 'function' ? params() : params);
      if (cursor) q.set('cursor', cursor);
      const res = await fetchJson(path + (path.includes('?') ? '&' : '?') + q);
      if (started !== epoch) return [];
      cursor = res.next_cursor || null;
      done = !cursor;
      return res.items;
    },
  };
}
