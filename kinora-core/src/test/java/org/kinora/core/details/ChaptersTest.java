package org.kinora.core.details;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChaptersTest {
    @Test
    void timestampsInADescriptionAreChapters() {
        String description = """
                A tour of the night sky.

                0:00 Intro
                1:30 - The Moon
                [12:05] Planets: Mars & Jupiter
                1:02:03 — Deep sky
                Thanks for watching! Next one at 3:00 tomorrow.""";
        assertThat(Chapters.fromDescription(description)).containsExactly(new Chapter(0, "Intro"), new Chapter(90, "The Moon"),
                new Chapter(725, "Planets: Mars & Jupiter"), new Chapter(3723, "Deep sky"));
    }

    @Test
    void descriptionsThatBreakTheRuleHaveNoChapters() {
        assertThat(Chapters.fromDescription("0:00 Intro\n1:00 Middle")).as("two").isEmpty();
        assertThat(Chapters.fromDescription("0:05 Intro\n1:00 Middle\n2:00 End")).as("not at 0:00").isEmpty();
        assertThat(Chapters.fromDescription("0:00 Intro\n2:00 Middle\n1:00 End")).as("not increasing").isEmpty();
        assertThat(Chapters.fromDescription("0:00 Intro\n1:00 Middle\n1:00 Again")).as("equal").isEmpty();
        assertThat(Chapters.fromDescription("0:00 Intro\n1:00\n2:00 End")).as("untitled").isEmpty();
        assertThat(Chapters.fromDescription("0:00 Intro\n1:75 Middle\n2:00 End")).as("75 seconds").isEmpty();
        assertThat(Chapters.fromDescription("Meet at 0:00, 1:00 and 2:00")).as("times inside sentences").isEmpty();
        assertThat(Chapters.fromDescription(null)).isEmpty();
        assertThat(Chapters.fromDescription("")).isEmpty();
    }

    @Test
    void studioChaptersThatBreakTheRuleAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Chapters.parseStrict("0:00 Intro\nnot a chapter\n2:00 End")).hasMessageContaining("Line 2");
        assertThatThrownBy(() -> Chapters.parseStrict("0:10 Intro\n1:00 a\n2:00 b")).hasMessageContaining("0:00");
        assertThatThrownBy(() -> Chapters.parseStrict("0:00 Intro\n1:00 a")).hasMessageContaining("at least 3");
        assertThat(Chapters.parseStrict("0:00 a\n0:10 b\n\n0:20 c")).hasSize(3);
    }

    @Test
    void chaptersAsWebVtt() {
        List<Chapter> chapters = List.of(new Chapter(0, "Intro"), new Chapter(10, "<b>Middle</b>"), new Chapter(20, "End"));
        assertThat(Chapters.toVtt(chapters, 30.5)).isEqualTo("""
                WEBVTT

                1
                00:00:00.000 --> 00:00:10.000
                Intro

                2
                00:00:10.000 --> 00:00:20.000
                &lt;b&gt;Middle&lt;/b&gt;

                3
                00:00:20.000 --> 00:00:30.500
                End

                """);
        assertThat(Chapters.within(chapters, 15.0)).as("fewer than 3 left").isEmpty();
        assertThat(Chapters.format(3723)).isEqualTo("1:02:03");
        assertThat(Chapters.format(65)).isEqualTo("1:05");
    }
}
