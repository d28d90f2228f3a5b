// The watch page below the player: the channel with its subscribe button, like and dislike,
// Watch later and playlists, and the comments. Everything people wrote is put in with
// textContent (through el()), never parsed as HTML.
import { api, avatar, channelUrl, el, formatAge, formatCount, page, signIn, toast } from './app.js';
import { pager } from './pager.js';

const signedIn = Boolean(page.user);

/** The subscribe button of a channel page or the watch page; {@code onChange} gets the new count. */
export function subscribeButton(button, channel, onChange) {
  const own = page.user && page.user.id === channel.id;
  if (own) { button.hidden = true; return; }
  let subscribed = Boolean(channel.subscribed);
  const show = () => {
    button.textContent = subscribed ? 'Subscribed' : 'Subscribe';
    button.classList.toggle('primary', !subscribed);
    button.setAttribute('aria-pressed', String(subscribed));
  };
  show();
  button.hidden = false;
  button.addEventListener('click', async () => {
    if (!signedIn) return signIn();
    button.disabled = true;
    try {
      const res = await api('/api/v1/channels/' + encodeURIComponent(channel.id) + '/subscription',
        { method: subscribed ? 'DELETE' : 'PUT' });
      subscribed = res.subscribed;
      show();
      onChange(res.subscriber_count);
    } catch (e) {
      toast(e.message);
    } finally {
      button.disabled = false;
    }
  });
}

export function initEngagement(video, channel) {
  // Channel row.
  document.getElementById('channel-avatar').append(avatar(channel, 40));
  const subs = document.getElementById('channel-subs');
  const showSubs = (n) => { subs.textContent = formatCount(n, 'subscriber'); };
  showSubs(channel.subscriber_count);
  subscribeButton(document.getElementById('subscribe'), channel, showSubs);

  // Like and dislike: one of them (or neither) is mine; pressing the pressed one takes it back.
  const like = document.getElementById('like');
  const dislike = document.getElementById('dislike');
  let rating = video.my_rating || 'none';
  const showRating = (likes, dislikes) => {
    document.getElementById('like-count').textContent = String(likes);
    document.getElementById('dislike-count').textContent = String(dislikes);
    like.setAttribute('aria-pressed', String(rating === 'like'));
    dislike.setAttribute('aria-pressed', String(rating === 'dislike'));
  };
  showRating(video.like_count, video.dislike_count);
  const rate = async (wanted) => {
    if (!signedIn) return signIn();
    try {
      const res = await api('/api/v1/videos/' + encodeURIComponent(video.id) + '/rating',
        { method: 'PUT', body: { rating: rating === wanted ? 'none' : wanted } });
      rating = res.rating;
      showRating(res.like_count, res.dislike_count);
    } catch (e) { toast(e.message); }
  };
  like.addEventListener('click', () => rate('like'));
  dislike.addEventListener('click', () => rate('dislike'));

  // Watch later: a toggle; whether it is already there is asked only of signed-in viewers.
  const later = document.getElementById('save-later');
  const laterLabel = document.getElementById('save-later-label');
  let saved = false;
  const showSaved = () => {
    later.setAttribute('aria-pressed', String(saved));
    laterLabel.textContent = saved ? 'Saved' : 'Watch later';
    later.title = saved ? 'In your Watch later list: press to remove' : 'Save to Watch later';
  };
  if (signedIn) {
    api('/api/v1/playlists/watch-later/items?limit=200').then((res) => {
      saved = res.items.some((i) => i.video.id === video.id);
      showSaved();
    }).catch(() => {});
  }
  later.addEventListener('click', async () => {
    if (!signedIn) return signIn();
    try {
      if (saved) await api('/api/v1/playlists/watch-later/items/' + encodeURIComponent(video.id), { method: 'DELETE' });
      else await api('/api/v1/playlists/watch-later/items', { method: 'POST', body: { video_id: video.id } });
      saved = !saved;
      showSaved();
      toast(saved ? 'Saved to Watch later.' : 'Removed from Watch later.');
    } catch (e) { toast(e.message); }
  });
  initPlaylistDialog(video);
  initComments(video);
}

function initPlaylistDialog(video) {
  const dialog = document.getElementById('playlist-dialog');
  const choices = document.getElementById('playlist-choices');
  const titleInput = document.getElementById('new-playlist-title');
  const row = (p) => {
    const box = el('input', { type: 'checkbox', id: 'pl-' + p.id });
    box.addEventListener('change', async () => {
      try {
        if (box.checked) await api('/api/v1/playlists/' + encodeURIComponent(p.id) + '/items', { method: 'POST', body: { video_id: video.id } });
        else await api('/api/v1/playlists/' + encodeURIComponent(p.id) + '/items/' + encodeURIComponent(video.id), { method: 'DELETE' });
        toast((box.checked ? 'Added to ' : 'Removed from ') + p.title + '.');
      } catch (e) { box.checked = !box.checked; toast(e.message); }
    });
    return el('li', {}, box, el('label', { for: 'pl-' + p.id, class: 'choice', text: p.kind === 'watch_later' ? 'Watch later' : p.title }),
      el('span', { class: 'muted small', text: p.privacy }));
  };
  document.getElementById('add-to-playlist').addEventListener('click', async () => {
    if (!signedIn) return signIn();
    try {
      const res = await api('/api/v1/me/playlists');
      choices.replaceChildren(...res.items.filter((p) => p.kind !== 'watch_later').map(row));
      if (!choices.children.length) choices.append(el('li', { class: 'muted', text: 'No playlists yet: name one below.' }));
      dialog.showModal();
    } catch (e) { toast(e.message); }
  });
  document.getElementById('new-playlist-create').addEventListener('click', async () => {
    const title = titleInput.value.trim();
    if (!title) return titleInput.focus();
    try {
      const p = await api('/api/v1/playlists', { method: 'POST', body: { title, privacy: 'private' } });
      await api('/api/v1/playlists/' + encodeURIComponent(p.id) + '/items', { method: 'POST', body: { video_id: video.id } });
      titleInput.value = '';
      const li = row(p);
      li.querySelector('input').checked = true;
      choices.querySelector('li.muted')?.remove();
      choices.append(li);
      toast('Added to ' + p.title + '.');
    } catch (e) { toast(e.message); }
  });
}

// ---- Comments ----

function initComments(video) {
  const list = document.getElementById('comment-list');
  const sort = document.getElementById('comment-sort');
  const more = document.getElementById('comments-more');
  const status = document.getElementById('comments-status');
  const title = document.getElementById('comments-title');
  const form = document.getElementById('comment-form');
  const text = document.getElementById('comment-text');
  const formActions = form.querySelector('.comment-form-actions');
  let count = video.comment_count || 0;
  const threads = pager('/api/v1/videos/' + encodeURIComponent(video.id) + '/comments', () => ({ sort: sort.value, limit: '20' }));
  const showCount = () => { title.textContent = count ? formatCount(count, 'comment') : 'Comments'; };
  showCount();

  async function load(reset) {
    if (reset) { threads.reset(); list.replaceChildren(); }
    status.textContent = 'Loading comments…';
    try {
      list.append(...(await threads.next()).map((c) => comment(c, ctx)));
      more.hidden = threads.done;
      status.textContent = list.children.length ? '' : 'No comments yet.';
    } catch (e) {
      status.textContent = e.message;
    }
  }

  const ctx = { video, changed: (delta) => { count += delta; showCount(); } };
  sort.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));

  if (signedIn) {
    form.hidden = false;
    text.addEventListener('focus', () => { formActions.hidden = false; });
    document.getElementById('comment-cancel').addEventListener('click', () => { text.value = ''; formActions.hidden = true; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!text.value.trim()) return text.focus();
      const button = document.getElementById('comment-submit');
      button.disabled = true;
      try {
        const c = await api('/api/v1/videos/' + encodeURIComponent(video.id) + '/comments', { method: 'POST', body: { text: text.value } });
        list.prepend(comment(c, ctx));
        status.textContent = '';
        text.value = '';
        formActions.hidden = true;
        ctx.changed(1);
      } catch (err) { toast(err.message); } finally { button.disabled = false; }
    });
  } else {
    const signin = document.getElementById('comment-signin');
    signin.querySelector('a').href = '/signin?next=' + encodeURIComponent(location.pathname + location.search);
    signin.hidden = false;
  }
  load(true).then(() => showLinked(list, ctx));
}

/** A notification links to ?comment=<id>: open its thread, scroll to it and mark it. */
async function showLinked(list, ctx) {
  const id = new URLSearchParams(location.search).get('comment');
  if (!id) return;
  try {
    const target = await api('/api/v1/comments/' + encodeURIComponent(id));
    let thread = list.querySelector('#comment-' + CSS.escape(target.parent_id || target.id));
    if (!thread) { // not on the first page: show it on top
      const c = target.parent_id ? await api('/api/v1/comments/' + encodeURIComponent(target.parent_id)) : target;
      thread = comment(c, ctx);
      list.prepend(thread);
    }
    if (target.parent_id) await thread.__thread.open();
    const li = list.querySelector('#comment-' + CSS.escape(target.id));
    li?.classList.add('highlight');
    li?.scrollIntoView({ block: 'center' });
  } catch (e) { /* deleted since: the comments still show */ }
}

/**
 * One comment (a thread, or a reply inside one) with what the viewer may do to it. A reply names
 * whom it answers (@handle) when that is not the thread's own author.
 */
function comment(c, ctx, threadAuthor) {
  const isReply = Boolean(c.parent_id);
  const textEl = el('p', { class: 'comment-text' });
  const head = el('p', { class: 'comment-head' });
  const actions = el('div', { class: 'comment-actions' });
  const li = el('li', { class: 'comment' + (isReply ? ' reply' : ''), id: 'comment-' + c.id, 'data-comment-id': c.id });
  const body = el('div', { class: 'comment-body' }, head, textEl, actions);

  const render = () => {
    if (c.deleted) {
      head.replaceChildren();
      textEl.replaceChildren(el('span', { class: 'muted', text: 'This comment was deleted.' }));
      actions.replaceChildren();
      return;
    }
    head.replaceChildren(
      el('a', { class: 'comment-author', href: channelUrl(c.author), text: c.author.display_name || c.author.handle }),
      el('span', { class: 'muted', text: ' ' + formatAge(c.created_at) + (c.edited_at ? ' (edited)' : '') }));
    const mention = c.reply_to && c.reply_to.id !== threadAuthor;
    textEl.replaceChildren(...(mention ? [el('a', { class: 'mention', href: channelUrl(c.reply_to), text: '@' + c.reply_to.handle }), ' '] : []),
      c.text);
    actions.replaceChildren(...[
      signedIn ? el('button', { type: 'button', class: 'link-button', text: 'Reply', onclick: () => replyForm() }) : null,
      c.can_edit ? el('button', { type: 'button', class: 'link-button', text: 'Edit', onclick: () => editForm() }) : null,
      c.can_delete ? el('button', { type: 'button', class: 'link-button', text: 'Delete', onclick: () => remove() }) : null,
    ].filter(Boolean));
  };

  li.append(c.author && !c.deleted ? el('a', { href: channelUrl(c.author), tabindex: '-1', 'aria-hidden': 'true' }, avatar(c.author, isReply ? 28 : 40))
    : el('span', { class: 'avatar', 'aria-hidden': 'true', style: `width:${isReply ? 28 : 40}px;height:${isReply ? 28 : 40}px` }), body);

  // Replies: a thread's are shown on request; replying to a reply adds to its thread.
  const thread = isReply ? null : { list: el('ul', { class: 'replies', hidden: true }), loaded: false,
    replies: pager('/api/v1/comments/' + encodeURIComponent(c.id) + '/replies', { limit: '20' }) };
  let toggle = null;
  if (thread) {
    toggle = el('button', { type: 'button', class: 'link-button replies-toggle', hidden: c.reply_count === 0, 'aria-expanded': 'false',
      onclick: () => showReplies(!thread.list.hidden ? false : true) });
    const moreReplies = el('button', { type: 'button', class: 'link-button', hidden: true, text: 'More replies', onclick: () => loadReplies() });
    thread.more = moreReplies;
    body.append(toggle, thread.list, moreReplies);
    const label = () => { toggle.textContent = (thread.list.hidden ? '▾ ' : '▴ ') + c.reply_count + (c.reply_count === 1 ? ' reply' : ' replies'); };
    thread.label = label;
    label();
  }

  async function loadReplies() {
    try {
      const replies = await thread.replies.next();
      thread.list.append(...replies.filter((r) => !thread.list.querySelector('#comment-' + CSS.escape(r.id))).map((r) => comment(r, ctx, c.author?.id)));
      thread.more.hidden = thread.replies.done;
      thread.loaded = true;
    } catch (e) { toast(e.message); }
  }

  async function showReplies(open) {
    thread.list.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    thread.label();
    if (open && !thread.loaded) await loadReplies();
  }

  function replyForm() {
    const host = isReply ? li.closest('li.comment:not(.reply)') : li;
    const target = host.__thread;
    body.querySelector('.reply-form')?.remove();
    const input = el('textarea', { rows: '2', maxlength: '10000', 'aria-label': 'Reply to ' + (c.author?.display_name || ''), placeholder: 'Add a reply…' });
    const f = el('form', { class: 'reply-form comment-form', novalidate: true }, input,
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'button ghost', text: 'Cancel', onclick: () => f.remove() }),
        el('button', { type: 'submit', class: 'button primary', text: 'Reply' })));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!input.value.trim()) return input.focus();
      try {
        const r = await api('/api/v1/videos/' + encodeURIComponent(ctx.video.id) + '/comments',
          { method: 'POST', body: { text: input.value, parent_id: c.id } });
        f.remove();
        target.added(r);
        ctx.changed(1);
      } catch (err) { toast(err.message); }
    });
    actions.after(f);
    input.focus();
  }

  function editForm() {
    const input = el('textarea', { rows: '3', maxlength: '10000', 'aria-label': 'Edit comment' });
    input.value = c.text;
    const f = el('form', { class: 'edit-form comment-form', novalidate: true }, input,
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'button ghost', text: 'Cancel', onclick: () => { f.replaceWith(textEl); actions.hidden = false; } }),
        el('button', { type: 'submit', class: 'button primary', text: 'Save' })));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        Object.assign(c, await api('/api/v1/comments/' + encodeURIComponent(c.id), { method: 'PATCH', body: { text: input.value } }));
        f.replaceWith(textEl);
        actions.hidden = false;
        render();
      } catch (err) { toast(err.message); }
    });
    textEl.replaceWith(f);
    actions.hidden = true;
    input.focus();
  }

  async function remove() {
    if (!confirm('Delete this comment?')) return;
    try {
      await api('/api/v1/comments/' + encodeURIComponent(c.id), { method: 'DELETE' });
      ctx.changed(-1);
      if (!isReply && c.reply_count > 0) { c.deleted = true; render(); } else li.remove();
    } catch (err) { toast(err.message); }
  }

  if (thread) {
    li.__thread = {
      open: () => showReplies(true),
      added: async (r) => {
        c.reply_count += 1;
        toggle.hidden = false;
        if (!thread.loaded) await showReplies(true); // loads it, with the new one
        else {
          thread.list.append(comment(r, ctx, c.author?.id));
          if (thread.list.hidden) await showReplies(true);
        }
        thread.label();
      },
    };
  }
  render();
  return li;
}
