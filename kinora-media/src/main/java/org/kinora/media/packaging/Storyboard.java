package org.kinora.media.packaging;

import java.nio.file.Path;
import java.util.List;

/**
 * Sprite sheets of evenly spaced tiles plus a WebVTT file mapping time ranges to tiles, for
 * scrub-bar previews. Tile {@code i} shows the frame at {@code i * intervalSeconds}.
 */
public record Storyboard(Path vtt, List<Path> sheets, int tileWidth, int tileHeight, int columns, int rows,
                         double intervalSeconds, int tileCount) {
    public Storyboard {
        sheets = List.copyOf(sheets);
    }
}
