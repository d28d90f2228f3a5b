package org.kinora.core.video;

/** One published rung of a video's ladder ({@code name} like "720p"), or its audio track. */
public record Rendition(
        String videoId,
        String name,
        int width,
        int height,
        int bandwidth,
        String codecs,
        double frameRate) {

    public static final String AUDIO = "audio";

    public boolean isAudio() { return AUDIO.equals(name); }
}
