package org.kinora.core.channel;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Port: channels. Handles are unique, case-insensitively. */
public interface ChannelRepository {
    /** Inserts the channel; false when its handle is taken. */
    boolean insertIfAbsent(Channel channel);

    Optional<Channel> find(String id);

    Optional<Channel> findByHandle(String handle);

    Map<String, Channel> findAll(Collection<String> ids);

    /** False when the new handle is taken by another channel. */
    boolean updateProfile(String id, String handle, String displayName, String description);

    void setImage(String id, ChannelImage kind, String file);

    /** Public, ready, not deleted videos of the channel. */
    long publicVideoCount(String id);
}
