package org.kinora.media.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChunkPlaylistsTest {

    private static String chunk(int sequence, int target, String... segments) {
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + target + "\n#EXT-X-MEDIA-SEQUENCE:"
                + sequence + "\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n");
        for (String s : segments) b.append("#EXT-X-BITRATE:900\n#EXTINF:4.000000,\n").append(s).append('\n');
        return b.append("#EXT-X-ENDLIST\n").toString();
    }

    @Test
    void theRenditionHasOneHeaderEveryChunksSegmentsInOrderAndOneEndlist() {
        String joined = ChunkPlaylists.join(List.of(chunk(1, 4, "seg_00001.m4s", "seg_00002.m4s"), chunk(3, 5, "seg_00003.m4s")));
        assertThat(joined).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:5
                #EXT-X-MEDIA-SEQUENCE:1
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-MAP:URI="init.mp4"
                #EXT-X-BITRATE:900
                #EXTINF:4.000000,
                seg_00001.m4s
                #EXT-X-BITRATE:900
                #EXTINF:4.000000,
                seg_00002.m4s
                #EXT-X-BITRATE:900
                #EXTINF:4.000000,
                seg_00003.m4s
                #EXT-X-ENDLIST
                """);
    }
}
