package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ThumbnailsTest {
    @Test
    void posterTimeIsTenPercentCappedAtFiveSeconds() {
        assertThat(Thumbnails.posterTime(6)).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(Thumbnails.posterTime(3600)).isEqualTo(5);
    }

    @Test
    void intervalKeepsLongVideosOnOneSheet() {
        assertThat(Thumbnails.interval(6)).isEqualTo(1);
        assertThat(Thumbnails.interval(150)).isEqualTo(2);
        assertThat(Thumbnails.interval(3600)).isEqualTo(36);
    }

    @Test
    void vttCuesWalkTheGridAndSpillToTheNextSheet() {
        String vtt = Thumbnails.vtt(101.5, 1, 102, 160, 90);
        assertThat(vtt).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsprite_0.jpg#xywh=0,0,160,90\n");
        assertThat(vtt).contains("00:00:11.000 --> 00:00:12.000\nsprite_0.jpg#xywh=160,90,160,90\n");
        assertThat(vtt).contains("00:01:39.000 --> 00:01:40.000\nsprite_0.jpg#xywh=1440,810,160,90\n");
        assertThat(vtt).contains("00:01:40.000 --> 00:01:41.000\nsprite_1.jpg#xywh=0,0,160,90\n");
        assertThat(vtt).endsWith("00:01:41.000 --> 00:01:41.500\nsprite_1.jpg#xywh=160,0,160,90\n");
    }

    @Test
    void timestampsHaveHoursAndMillis() {
        assertThat(Thumbnails.timestamp(3723.4567)).isEqualTo("01:02:03.457");
    }
}
