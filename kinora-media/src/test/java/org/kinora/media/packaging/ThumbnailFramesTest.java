package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ThumbnailFramesTest {
    static ThumbnailFrames.Frame frame(double at, double luma, double sharpness) {
        return new ThumbnailFrames.Frame(at, luma, sharpness, Path.of("f" + at + ".jpg"));
    }

    @Test
    void theSharpestFramesThatAreNeitherDarkNorBlurredWinInTimeOrder() {
        List<ThumbnailFrames.Frame> chosen = ThumbnailFrames.choose(List.of(frame(1, 5, 900), frame(2, 120, 10), frame(3, 110, 400),
                frame(4, 90, 800), frame(5, 100, 60), frame(6, 100, 50)), 3);
        assertThat(chosen).extracting(ThumbnailFrames.Frame::at).containsExactly(3.0, 4.0, 5.0);
    }

    @Test
    void tooFewGoodFramesAreFilledWithTheLeastBad() {
        List<ThumbnailFrames.Frame> chosen = ThumbnailFrames.choose(List.of(frame(1, 5, 900), frame(2, 120, 10), frame(3, 110, 400)), 3);
        assertThat(chosen).extracting(ThumbnailFrames.Frame::at).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void aFlatPictureHasNoLaplacianVarianceAndEdgesHaveMuch() {
        double[][] flat = new double[10][10];
        double[][] checker = new double[10][10];
        for (int r = 0; r < 10; r++) for (int c = 0; c < 10; c++) checker[r][c] = (r + c) % 2 == 0 ? 0 : 255;
        assertThat(ThumbnailFrames.laplacianVariance(flat)).isZero();
        assertThat(ThumbnailFrames.laplacianVariance(checker)).isGreaterThan(ThumbnailFrames.BLURRED_LAPLACIAN * 100);
    }
}
