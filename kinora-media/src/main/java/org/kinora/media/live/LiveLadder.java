package org.kinora.media.live;

import java.util.ArrayList;
import java.util.List;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;

/**
 * The renditions of a live, from what the publisher announced: the source passed through when
 * it is H.264/AAC at a sane bitrate (no quality lost, no encoder time spent), plus up to
 * {@code transcodedRungs} of the {@link LadderPlanner}'s rungs below it (never above the source).
 * A source that cannot pass through gets its top rungs transcoded instead.
 */
public final class LiveLadder {
    private static final int DEFAULT_WIDTH = 1280;
    private static final int DEFAULT_HEIGHT = 720;
    private static final int AUDIO_BPS = 128_000;

    private LiveLadder() {}

    public static List<LiveRung> plan(LiveSource s, int transcodedRungs, int passThroughMaxKbps) {
        int w = s.width() > 1 ? s.width() : DEFAULT_WIDTH;
        int h = s.height() > 1 ? s.height() : DEFAULT_HEIGHT;
        double fps = s.frameRate() > 0 ? s.frameRate() : 30;
        List<Rung> planned = new LadderPlanner().plan(w, h, fps); // lowest first
        boolean passThrough = s.h264() && s.aac() && s.width() > 1 && (s.videoKbps() == 0 || s.videoKbps() <= passThroughMaxKbps);
        List<LiveRung> rungs = new ArrayList<>();
        int shortSide = Math.min(w, h);
        if (passThrough) {
            int kbps = s.videoKbps() > 0 ? s.videoKbps() + Math.max(s.audioKbps(), 64) : 5000;
            rungs.add(new LiveRung("source", null, w, h, kbps * 1000, s.avcCodecs()));
            planned = planned.stream().filter(r -> Math.min(r.width(), r.height()) < shortSide).toList();
        }
        int take = passThrough ? transcodedRungs : Math.max(1, transcodedRungs);
        for (int i = planned.size() - 1; i >= 0 && take > 0; i--, take--) {
            Rung r = planned.get(i);
            rungs.add(new LiveRung(r.name(), r, r.width(), r.height(), r.maxBitrateKbps() * 1000 + AUDIO_BPS, r.codecs()));
        }
        return List.copyOf(rungs);
    }
}
