package org.kinora.server.playlists;

import org.kinora.adapters.postgres.PgPlaylistRepository;
import org.kinora.core.playlist.PlaylistService;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Playlists: a channel's ordered lists of videos, and what plays next. */
public record PlaylistsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var db = p.engines().database();
        var playlists = new PlaylistService(new PgPlaylistRepository(db), shared.videos, db, p.clock());
        c.routes(new PlaylistRoutes(playlists, shared.channels, shared.videoViews, shared.auth));
    }
}
