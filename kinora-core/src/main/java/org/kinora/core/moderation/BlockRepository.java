package org.kinora.core.moderation;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Channels a user hid from themselves, users a creator hid from their channel's comments, and blocked email domains. */
public interface BlockRepository {
    void blockChannel(String userId, String channelId, Instant at);

    void unblockChannel(String userId, String channelId);

    Set<String> blockedChannels(String userId);

    void hideUser(String channelId, String userId, Instant at);

    void unhideUser(String channelId, String userId);

    boolean isHidden(String channelId, String userId);

    Set<String> hiddenUsers(String channelId);

    void blockDomain(String domain, String reason, String adminId, Instant at);

    void unblockDomain(String domain);

    boolean isDomainBlocked(String domain);

    List<String> blockedDomains();
}
