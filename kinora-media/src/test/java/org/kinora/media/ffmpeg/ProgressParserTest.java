package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProgressParserTest {
    @Test
    void reportsMonotonicFractionsAndOneAtEnd() {
        List<Double> reports = new ArrayList<>();
        ProgressParser parser = new ProgressParser(10, reports::add);
        for (String line : List.of("frame=1", "out_time_us=N/A", "out_time_us=2500000", "progress=continue",
                "out_time_us=1000000", "out_time_us=5000000", "out_time_us=12000000", "progress=end")) {
            parser.line(line);
        }
        assertThat(reports).containsExactly(0.25, 0.5, 0.999, 1.0);
    }

    @Test
    void stderrTailKeepsOnlyTheEnd() {
        StderrTail tail = new StderrTail(8);
        byte[] bytes = "0123456789abc".getBytes();
        tail.append(bytes, bytes.length);
        assertThat(tail.text()).isEqualTo("56789abc");
    }
}
