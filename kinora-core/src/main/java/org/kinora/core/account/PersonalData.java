package org.kinora.core.account;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/** Port: everything stored about one account, to export it and to erase it. */
public interface PersonalData {
    /** A comment the account wrote that is not deleted yet, with its video. */
    record LiveComment(String id, String videoId) {}

    List<String> videoIds(String userId);

    List<LiveComment> liveComments(String userId);

    /**
     * Writes one JSON document per kind of data (account, channel, videos, comments, ratings,
     * subscriptions, playlists, history, notifications) as {@code (name, json)} entries.
     */
    void export(String userId, EntryWriter out) throws IOException;

    @FunctionalInterface
    interface EntryWriter {
        OutputStream entry(String name) throws IOException;
    }

    /**
     * In one transaction: removes history, subscriptions (keeping channels' counts right),
     * playlists, notifications, sessions and tokens; empties the bodies of the account's comments;
     * turns the channel and the account into an anonymous "deleted account" that cannot sign in.
     */
    void erase(String userId, Instant at);
}
