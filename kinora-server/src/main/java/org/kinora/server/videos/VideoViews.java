package org.kinora.server.videos;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kinora.core.account.AccountService;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.kinora.core.video.VideoStatus;
import org.kinora.server.playback.PlaybackTokens;

/** Turns stored videos into their JSON shape, with channel names and signed playback URLs. */
public final class VideoViews {
    private final VideoService videos;
    private final AccountService accounts;
    private final PlaybackTokens playbackTokens;
    private final Optional<String> publicUrl;

    public VideoViews(VideoService videos, AccountService accounts, PlaybackTokens playbackTokens, Optional<String> publicUrl) {
        this.videos = videos;
        this.accounts = accounts;
        this.playbackTokens = playbackTokens;
        this.publicUrl = publicUrl;
    }

    /** One page of videos, looking up their channels' names in one query. */
    public List<VideoView> views(Context ctx, List<Video> page, String viewer) {
        Map<String, String> names = accounts.usernames(page.stream().map(Video::ownerId).toList());
        return page.stream().map(v -> view(ctx, v, names.get(v.ownerId()), viewer)).toList();
    }

    public VideoView view(Context ctx, Video v, String viewer) {
        return view(ctx, v, accounts.usernames(List.of(v.ownerId())).get(v.ownerId()), viewer);
    }

    private VideoView view(Context ctx, Video v, String channelName, String viewer) {
        VideoView.Playback playback = null;
        if (v.status() == VideoStatus.READY) {
            String base = baseUrl(ctx) + "/media/" + playbackTokens.issue(v.id(), viewer) + "/" + v.id() + "/";
            // The storyboard is made last; until then there is nothing at its URL.
            String storyboard = v.progress() >= 100 ? base + "thumbs/storyboard.vtt" : null;
            playback = new VideoView.Playback(base + "master.m3u8", base + "manifest.mpd", base + "thumbs/poster.jpg", storyboard);
        }
        return VideoView.of(v, channelName, videos.renditions(v.id()), playback);
    }

    public String baseUrl(Context ctx) {
        return publicUrl.orElseGet(() -> {
            String proto = Objects.requireNonNullElse(ctx.header("X-Forwarded-Proto"), ctx.scheme());
            String host = Objects.requireNonNullElse(ctx.header("X-Forwarded-Host"), ctx.host());
            return proto + "://" + host;
        });
    }

}
