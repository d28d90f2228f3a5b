package org.kinora.core.channel;

import java.time.Instant;

public record Subscription(Channel channel, Instant subscribedAt) {
    public record Cursor(Instant subscribedAt, String channelId) {}
}
