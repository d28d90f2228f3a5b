package org.kinora.media.live;

import java.util.List;
import java.util.Map;
import org.kinora.media.live.rtmp.Amf0;

/**
 * What a publisher said about its stream, from the FLV tags before the first frame: the
 * {@code onMetaData} sizes and rates and the codecs of the first audio and video tags. Drives the
 * live ladder and the ingest health shown in Studio; a publisher may lie, so nothing here is
 * trusted beyond choosing encoder settings (ffmpeg decodes what actually comes).
 */
public record LiveSource(int width, int height, double frameRate, int videoKbps, int audioKbps, boolean h264, boolean aac,
                         String avcCodecs) {
    public static final LiveSource UNKNOWN = new LiveSource(0, 0, 0, 0, 0, false, false, null);

    /** The source described by an {@code @setDataFrame}/{@code onMetaData} script tag (other tags return {@code base}). */
    public LiveSource withScript(byte[] body) {
        try {
            List<Object> v = Amf0.decodeAll(body);
            int i = v.indexOf("onMetaData");
            if (i < 0 || i + 1 >= v.size() || !(v.get(i + 1) instanceof Map<?, ?> m)) return this;
            return new LiveSource(clamp(m.get("width"), 16384), clamp(m.get("height"), 16384),
                    Math.min(240, number(m.get("framerate"))), clamp(m.get("videodatarate"), 1_000_000),
                    clamp(m.get("audiodatarate"), 100_000), h264, aac, avcCodecs);
        } catch (RuntimeException e) {
            return this; // broken metadata: ignore it, ffmpeg reads the media itself
        }
    }

    /** Notes the codec of an audio (8) or video (9) tag. */
    public LiveSource withMedia(int type, byte[] body) {
        if (body.length == 0) return this;
        if (type == 9 && (body[0] & 0x0F) == 7) {
            String codecs = avcCodecs;
            // AVC sequence header: AVCDecoderConfigurationRecord after the 5-byte FLV video header.
            if (body.length > 8 && body[1] == 0) codecs = String.format("avc1.%02x%02x%02x", body[6] & 0xFF, body[7] & 0xFF, body[8] & 0xFF);
            return new LiveSource(width, height, frameRate, videoKbps, audioKbps, true, aac, codecs);
        }
        if (type == 8 && ((body[0] >> 4) & 0x0F) == 10) return new LiveSource(width, height, frameRate, videoKbps, audioKbps, h264, true, avcCodecs);
        return this;
    }

    private static double number(Object o) {
        return o instanceof Double d && Double.isFinite(d) && d > 0 ? d : 0;
    }

    private static int clamp(Object o, int max) {
        return (int) Math.min(max, number(o));
    }
}
