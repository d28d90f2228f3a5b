package org.kinora.core.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kinora.core.analytics.TrafficSource;
import org.kinora.core.view.PlayContext;
import org.kinora.core.view.PlayEvent;

/**
 * The {@code plays} field of a {@code video.played} event: one line per play,
 * {@code type TAB position TAB epoch-millis TAB viewer TAB source TAB domain TAB device TAB browser TAB country},
 * an absent value empty. Every value is a token that cannot hold a tab or a newline (checked by
 * {@link PlayContext} and the session-id rule), so no escaping is needed; a flat string keeps the
 * codec's contract of a flat map of strings.
 */
final class PlayLines {
    private PlayLines() {}

    static String encode(List<PlayEvent> plays) {
        StringBuilder b = new StringBuilder(plays.size() * 64);
        for (PlayEvent p : plays) {
            if (!b.isEmpty()) b.append('\n');
            PlayContext c = p.context();
            b.append(p.type().name().toLowerCase(java.util.Locale.ROOT)).append('\t')
                    .append(p.positionSeconds() == null ? "" : p.positionSeconds().toString()).append('\t')
                    .append(p.at().toEpochMilli()).append('\t')
                    .append(p.viewerKey()).append('\t')
                    .append(c.source().wireName()).append('\t')
                    .append(c.domain() == null ? "" : c.domain()).append('\t')
                    .append(c.device()).append('\t')
                    .append(c.browser()).append('\t')
                    .append(c.country() == null ? "" : c.country());
        }
        return b.toString();
    }

    static List<PlayEvent> decode(String videoId, String text) {
        List<PlayEvent> plays = new ArrayList<>();
        if (text.isEmpty()) return plays;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            String[] f = line.split("\t", -1);
            if (f.length != 9) throw new IllegalArgumentException("video.played event has data.plays line " + n + " with " + f.length + " fields, not 9");
            PlayEvent.Type type = PlayEvent.Type.parse(f[0]).orElseThrow(() -> new IllegalArgumentException(
                    "video.played event has data.plays line " + n + " of unknown type '" + f[0] + "'"));
            String viewer = f[3];
            String userId = viewer.startsWith("u:") ? viewer.substring(2) : null;
            String sessionId = viewer.startsWith("s:") ? viewer.substring(2) : null;
            if (userId == null && sessionId == null) throw new IllegalArgumentException("video.played event has data.plays line " + n + " without a viewer");
            try {
                plays.add(new PlayEvent(videoId, userId, sessionId, type, f[1].isEmpty() ? null : Double.valueOf(f[1]),
                        Instant.ofEpochMilli(Long.parseLong(f[2])),
                        new PlayContext(TrafficSource.parse(f[4]).orElse(TrafficSource.DIRECT), f[5].isEmpty() ? null : f[5], f[6], f[7],
                                f[8].isEmpty() ? null : f[8])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("video.played event has data.plays line " + n + " with a malformed number");
            }
        }
        return plays;
    }
}
