package org.kinora.server.live;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.LiveBus;
import org.kinora.core.live.ChatMessage;
import org.kinora.core.live.LiveChat;
import org.kinora.core.live.LiveService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.StreamGate;

/** A live's chat: history, writing, the SSE stream (every node hears it on the LiveBus), and moderation. */
final class LiveChatRoutes implements org.kinora.server.http.Routes {
    private static final Duration PING = Duration.ofSeconds(20);
    private static final Duration STREAM_MAX = Duration.ofHours(12);

    private final LiveChat chat;
    private final LiveService lives;
    private final ChannelService channels;
    private final Authenticator auth;

    private final org.kinora.core.video.VideoService videos;

    LiveChatRoutes(LiveChat chat, LiveService lives, ChannelService channels, Authenticator auth, org.kinora.core.video.VideoService videos) {
        this.videos = videos;
        this.chat = chat;
        this.lives = lives;
        this.channels = channels;
        this.auth = auth;
    }

    record PostRequest(String body) {}

    record TimeoutRequest(String userId, Integer seconds) {}

    record SlowModeRequest(Integer seconds) {}

    record MessageView(long id, String authorId, String author, String body, Instant createdAt) {}

    record ChatView(List<MessageView> items, int slowModeSeconds) {}

    record Deleted(long id) {}

    record ReplayMessage(long id, String authorId, String author, String body, long offsetMs) {}

    /** The chat of the live a replay was recorded from; {@code nextFromMs} asks for the messages after these (null at the end). */
    record ReplayChat(String liveId, List<ReplayMessage> items, Long nextFromMs) {}

    private static final int REPLAY_PAGE = 500;

    @Override
    public void register(Api app) {
        app.get("/api/v1/lives/{id}/chat", doc("A live's chat, the last 100 messages (kept with the replay)"), ctx -> {
            String id = ctx.pathParam("id");
            ctx.json(new ChatView(views(chat.recent(id, 100)), chat.slowMode(id)));
        });
        app.post("/api/v1/lives/{id}/chat", doc("Write in a live's chat (rate limited; slow mode)", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN)
                .body(PostRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            PostRequest r = AuthRoutes.body(ctx, PostRequest.class);
            ctx.status(201).json(views(List.of(chat.post(ctx.pathParam("id"), user, r.body()))).getFirst());
        });
        app.delete("/api/v1/lives/{id}/chat/{messageId}", doc("Delete a chat message (the streamer and moderators)", WRITE_LIMITED,
                IDEMPOTENT, SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            long messageId;
            try {
                messageId = Long.parseLong(ctx.pathParam("messageId"));
            } catch (NumberFormatException e) {
                throw KinoraException.notFound("Message");
            }
            chat.delete(ctx.pathParam("id"), messageId, user);
            ctx.status(204);
        });
        app.post("/api/v1/lives/{id}/chat/timeouts", doc("Time a viewer out of the chat (the streamer and moderators)", WRITE_LIMITED,
                IDEMPOTENT, SIGNED_IN).body(TimeoutRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            TimeoutRequest r = AuthRoutes.body(ctx, TimeoutRequest.class);
            Instant until = chat.timeout(ctx.pathParam("id"), r.userId(), r.seconds() == null ? 300 : r.seconds(), user);
            ctx.json(Map.of("user_id", r.userId(), "until", until.toString()));
        });
        app.put("/api/v1/lives/{id}/chat/slow-mode", doc("Set slow mode: seconds between one viewer's messages, 0 off (the streamer and moderators)",
                WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(SlowModeRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            SlowModeRequest r = AuthRoutes.body(ctx, SlowModeRequest.class);
            chat.slowMode(ctx.pathParam("id"), r.seconds() == null ? 0 : r.seconds(), user);
            ctx.json(Map.of("slow_mode_seconds", chat.slowMode(ctx.pathParam("id"))));
        });
        app.get("/api/v1/videos/{id}/live-chat", doc("The chat of the live this replay was recorded from, each message with its "
                + "offset from the start (from_ms: from that offset; pages of 500); live_id null for a video that was no live"), ctx -> {
            String videoId = ctx.pathParam("id");
            videos.visibleVideo(videoId, auth.optionalUser(ctx).orElse(null)); // the chat is as visible as the video (404 otherwise)
            var replayOf = lives.byReplay(videoId);
            if (replayOf.isEmpty()) { // not a live's replay: no chat (200, so watch pages ask without a console error)
                ctx.json(new ReplayChat(null, List.of(), null));
                return;
            }
            var live = replayOf.get();
            String from = ctx.queryParam("from_ms");
            if (from != null && !from.matches("\\d{1,12}")) throw KinoraException.badRequest("invalid_from_ms", "from_ms is a number of milliseconds.");
            List<ChatMessage> page = chat.replay(live.id(), from == null ? 0 : Long.parseLong(from), REPLAY_PAGE + 1);
            Long next = null;
            if (page.size() > REPLAY_PAGE) {
                // The next page starts at the offset of the first message left out; messages at that same offset come again, so the page ends before them.
                long cut = page.get(REPLAY_PAGE).offsetMillis();
                List<ChatMessage> before = page.subList(0, REPLAY_PAGE).stream().filter(m -> m.offsetMillis() < cut).toList();
                // (more than a page in one millisecond: that millisecond's overflow is skipped rather than served forever)
                page = before.isEmpty() ? page.subList(0, REPLAY_PAGE) : before;
                next = before.isEmpty() ? cut + 1 : cut;
            }
            Map<String, Channel> authors = channels.channels(page.stream().map(ChatMessage::authorId).distinct().toList());
            ctx.json(new ReplayChat(live.id(), page.stream().map(m -> new ReplayMessage(m.id(), m.authorId(),
                    authors.containsKey(m.authorId()) ? authors.get(m.authorId()).displayName() : "someone", m.body(), m.offsetMillis())).toList(), next));
        });
        // The stream cannot answer 404 once it started: the live must exist before (before StreamGate takes a slot).
        app.before("/api/v1/lives/{id}/chat/stream", ctx -> lives.session(ctx.pathParam("id")).orElseThrow(() -> KinoraException.notFound("Live")));
        app.sse("/api/v1/lives/{id}/chat/stream", doc("A live's chat as it happens (server-sent events: message, deleted)"), this::stream);
    }

    private void stream(SseClient client) {
        String id = client.ctx().pathParam("id");
        client.ctx().header("Cache-Control", "no-store");
        client.ctx().header("X-Accel-Buffering", "no");
        BlockingQueue<LiveChat.Event> queue = new LinkedBlockingQueue<>(1000);
        StreamGate.onEvict(client.ctx(), client::close);
        client.keepAlive();
        try (LiveBus.Subscription ignored = chat.topic().subscribe(e -> {
            if (e.liveId().equals(id)) queue.offer(e);
        })) {
            Instant until = Instant.now().plus(STREAM_MAX);
            while (!client.terminated() && Instant.now().isBefore(until)) {
                LiveChat.Event e = queue.poll(PING.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    client.sendComment("ping");
                } else if (e.kind().equals("deleted")) {
                    client.sendEvent("deleted", new Deleted(e.messageId()));
                } else {
                    client.sendEvent("message", new MessageView(e.messageId(), e.authorId(), name(e.authorId()), e.body(), Instant.parse(e.at())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the viewer left
        } finally {
            StreamGate.release(client.ctx());
            client.close();
        }
    }

    private String name(String userId) {
        return channels.channels(List.of(userId)).values().stream().findFirst().map(Channel::displayName).orElse("someone");
    }

    private List<MessageView> views(List<ChatMessage> messages) {
        Map<String, Channel> authors = channels.channels(messages.stream().map(ChatMessage::authorId).distinct().toList());
        return messages.stream().map(m -> new MessageView(m.id(), m.authorId(),
                authors.containsKey(m.authorId()) ? authors.get(m.authorId()).displayName() : "someone", m.body(), m.createdAt())).toList();
    }
}
