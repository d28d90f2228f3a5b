package org.kinora.server.notifications;

import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.common.Cursors;
import org.kinora.core.common.Page;
import org.kinora.core.notify.Notification;
import org.kinora.core.notify.NotificationService;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.channels.ChannelSummary;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.ListResponse;
import org.kinora.server.http.Params;
import org.kinora.server.http.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification list, unread count, marking read, and a live SSE stream. Browsers open the
 * stream with {@code new EventSource('/api/v1/notifications/stream')} (the session cookie) or
 * {@code ?access_token=...} (only event streams take a token in the URL); it sends
 * {@code unread} ({@code {"unread_count": n}}) at once and after every change, and
 * {@code notification} (a NotificationView) as each one is created.
 */
public final class NotificationRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(NotificationRoutes.class);
    private static final Duration PING = Duration.ofSeconds(20);
    private static final Duration STREAM_MAX = Duration.ofHours(6);

    private final NotificationService notifications;
    private final ChannelService channels;
    private final Authenticator auth;

    public NotificationRoutes(NotificationService notifications, ChannelService channels, Authenticator auth) {
        this.notifications = notifications;
        this.channels = channels;
        this.auth = auth;
    }

    record NotificationView(long id, String type, String message, ChannelSummary actor, String videoId, String commentId,
                            boolean read, Instant createdAt) {}

    record Unread(long unreadCount) {}

    record ReadRequest(List<Long> ids) {}

    record ReadResult(int marked, long unreadCount) {}

    @Override
    public void register(Api app) {
        app.get("/api/v1/notifications", doc("Your notifications, newest first (cursor pages)", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            int limit = Params.limit(ctx, 20, NotificationService.MAX_PAGE);
            Optional<Long> before = Params.cursor(ctx).map(s -> Cursors.decode(s, 1).longValue(0));
            Page<Notification> page = Page.of(notifications.list(user, before, Page.fetchSize(limit)), limit,
                    last -> Cursors.encode(last.id()));
            ctx.json(new ListResponse<>(views(page.items()), page.nextCursorOrNull()));
        });
        app.get("/api/v1/notifications/unread-count", doc("How many of your notifications are unread", SIGNED_IN), ctx -> ctx.json(new Unread(notifications.unreadCount(auth.requireUser(ctx)))));
        app.post("/api/v1/notifications/read", doc("Mark notifications read (the ids given, or all)", WRITE_LIMITED, IDEMPOTENT, SIGNED_IN).body(ReadRequest.class), ctx -> {
            String user = auth.requireUser(ctx);
            ReadRequest r = ctx.body().isBlank() ? new ReadRequest(List.of()) : AuthRoutes.body(ctx, ReadRequest.class);
            int marked = notifications.markRead(user, r.ids() == null ? List.of() : r.ids());
            ctx.json(new ReadResult(marked, notifications.unreadCount(user)));
        });
        app.sse("/api/v1/notifications/stream", doc("New notifications as they happen (server-sent events)", SIGNED_IN), this::stream);
    }

    private void stream(SseClient client) {
        String user = auth.requireUser(client.ctx());
        client.ctx().header("Cache-Control", "no-store");
        client.ctx().header("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
        BlockingQueue<Notification> queue = new LinkedBlockingQueue<>(1000);
        org.kinora.server.http.StreamGate.onEvict(client.ctx(), client::close);
        client.keepAlive();
        try (AutoCloseable ignored = notifications.hub().listen(user, queue::offer)) {
            client.sendEvent("unread", new Unread(notifications.unreadCount(user)));
            Instant until = Instant.now().plus(STREAM_MAX);
            while (!client.terminated() && Instant.now().isBefore(until)) {
                Notification n = queue.poll(PING.toMillis(), TimeUnit.MILLISECONDS);
                if (n == null) {
                    client.sendComment("ping");
                    continue;
                }
                client.sendEvent("notification", views(List.of(n)).getFirst());
                if (queue.isEmpty()) client.sendEvent("unread", new Unread(notifications.unreadCount(user)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("notification stream of {} ended: {}", user, e.toString());
        } finally {
            org.kinora.server.http.StreamGate.release(client.ctx());
            client.close();
        }
    }

    private List<NotificationView> views(List<Notification> items) {
        Map<String, Channel> actors = channels.channels(items.stream().map(Notification::actorId)
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
        return items.stream().map(n -> new NotificationView(n.id(), n.type(), n.message(),
                n.actorId() == null ? null : ChannelSummary.of(actors.get(n.actorId())), n.videoId(), n.commentId(),
                n.readAt() != null, n.createdAt())).toList();
    }
}
