package org.kinora.core.channel;

import java.util.Locale;
import java.util.Optional;

/** The two pictures of a channel, with the size they are stored at (cropped to fill, JPEG). */
public enum ChannelImage {
    AVATAR(256, 256), BANNER(2048, 340);

    public final int width;
    public final int height;

    ChannelImage(int width, int height) {
        this.width = width;
        this.height = height;
    }

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ChannelImage> parse(String s) {
        for (ChannelImage k : values()) if (k.wireName().equals(s)) return Optional.of(k);
        return Optional.empty();
    }
}
