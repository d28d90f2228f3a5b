package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.TestTools;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ffmpeg.MediaProbe;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;

/** The whole pipeline on a 6 s 640x360 clip: probe, plan, encode, manifests, thumbnails. */
@Timeout(600)
class CmafPipelineIT {
    @TempDir
    static Path dir;
    static final Ffmpeg ffmpeg = TestTools.ffmpeg();
    static Path source;
    static MediaInfo info;
    static List<Rung> rungs;
    static CmafOutput output;
    static final List<Double> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void encode() {
        source = dir.resolve("source.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=6",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:d=6",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-metadata:s:a:0", "language=fre", "-shortest", source.toString()));
        info = new MediaProbe(ffmpeg).probe(source);
        rungs = new LadderPlanner().plan(info);
        output = new CmafEncoder(ffmpeg).encode(source, info, rungs, true, dir.resolve("out"), progress::add);
    }

    @Test
    void plansTwoRungs() {
        assertThat(rungs).extracting(Rung::name).containsExactly("240p", "360p");
        assertThat(info.durationSeconds()).isCloseTo(6.0, within(0.1));
    }

    @Test
    void writesTheExpectedFiles() {
        for (String name : List.of("240p", "360p", "audio")) {
            Path rendition = dir.resolve("out").resolve(name);
            assertThat(rendition.resolve("init.mp4")).isRegularFile();
            assertThat(rendition.resolve("seg_00001.m4s")).isRegularFile();
            assertThat(rendition.resolve("seg_00002.m4s")).isRegularFile();
            assertThat(rendition.resolve("seg_00003.m4s")).doesNotExist();
            assertThat(rendition.resolve("index.m3u8")).isRegularFile();
        }
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.getLast()).isEqualTo(1.0);
    }

    @Test
    void playlistsHaveTwoSegmentsCoveringTheClip() {
        List<MediaPlaylist> playlists = new ArrayList<>();
        output.video().forEach(v -> playlists.add(v.playlist()));
        playlists.add(output.audio().orElseThrow().playlist());
        for (MediaPlaylist playlist : playlists) {
            assertThat(playlist.initUri()).isEqualTo("init.mp4");
            assertThat(playlist.segments()).extracting(MediaPlaylist.Segment::uri).containsExactly("seg_00001.m4s", "seg_00002.m4s");
            assertThat(playlist.totalDurationSeconds()).isCloseTo(6.0, within(0.3));
            assertThat(playlist.targetDurationSeconds()).isEqualTo(4);
        }
    }

    @Test
    void playlistsRecordMeasuredRatesTimescalesAndTheLanguage() throws Exception {
        for (VideoRendition v : output.video()) {
            assertThat(Files.readString(dir.resolve("out").resolve(v.name()).resolve("index.m3u8"))).contains("#EXT-X-BITRATE:");
            long bytes = 0;
            for (MediaPlaylist.Segment s : v.playlist().segments()) bytes += Files.size(dir.resolve("out").resolve(v.name()).resolve(s.uri()));
            // The mean from the tags is the real one (EXT-X-BITRATE rounds each segment up to the next kb/s).
            double mean = bytes * 8 / v.playlist().totalDurationSeconds();
            assertThat((double) v.averageBitsPerSecond()).isBetween(mean, mean + 1000);
            assertThat(v.peakBitsPerSecond()).isGreaterThanOrEqualTo(v.averageBitsPerSecond()).isLessThan(v.rung().maxBitrateKbps() * 1000L * 2);
            assertThat(v.timescale()).isEqualTo(15_360); // ffmpeg's mp4 muxer: 30 fps doubled up to >= 10000
        }
        AudioRendition audio = output.audio().orElseThrow();
        assertThat(audio.timescale()).isEqualTo(48_000);
        assertThat(audio.language()).isEqualTo("fr"); // the source's "fre"
        String master = HlsMasterPlaylist.render(output.video(), output.audio());
        assertThat(master).contains("LANGUAGE=\"fr\"");
        // Each rung declares the profile, constraint flags and level its encoder wrote into the init's avcC (a level
        // chosen for the rung must be the one the stream says, or decoders capped below it are told a wrong one).
        List<String> lines = master.lines().toList();
        for (VideoRendition v : output.video()) {
            String declared = Fmp4Boxes.avcCodecs(Files.readAllBytes(dir.resolve("out").resolve(v.name()).resolve("init.mp4")));
            int at = lines.indexOf(v.name() + "/index.m3u8");
            assertThat(at).as(v.name()).isPositive();
            java.util.regex.Matcher codecs = java.util.regex.Pattern.compile("CODECS=\"([^\",]+)").matcher(lines.get(at - 1));
            assertThat(codecs.find()).as(lines.get(at - 1)).isTrue();
            assertThat(codecs.group(1)).as(v.name()).isEqualTo(declared).isEqualTo(v.rung().codecs());
        }
    }

    /** SourceCopy's probe reads the sample aspect ratio of a real file, and an anamorphic source is not copied. */
    @Test
    void anAnamorphicSourceIsProbedAsSuchAndNotCopied() {
        Path anamorphic = dir.resolve("anamorphic.mp4");
        ffmpeg.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25:d=4", "-vf", "setsar=64/45",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "100", anamorphic.toString()));
        MediaInfo anamorphicInfo = new MediaProbe(ffmpeg).probe(anamorphic);
        // The ladder is planned at the shape the picture is shown: 720 stored pixels of 64:45 are 1024 square ones.
        assertThat(anamorphicInfo.width()).isEqualTo(1024);
        assertThat(anamorphicInfo.height()).isEqualTo(576);
        org.kinora.media.pipeline.SourceCopy.Facts facts = org.kinora.media.pipeline.SourceCopy.probe(ffmpeg, anamorphic, anamorphicInfo);
        assertThat(facts.sampleAspectRatio()).isEqualTo("64:45");
        org.kinora.media.pipeline.SourceCopy.Decision d = org.kinora.media.pipeline.SourceCopy.decide(facts, anamorphicInfo, 20);
        assertThat(d.copy()).isFalse();
        assertThat(d.reason()).contains("not square", "64:45");
        // The clip the rest of this class encodes says square pixels (or nothing).
        String square = org.kinora.media.pipeline.SourceCopy.probe(ffmpeg, source, info).sampleAspectRatio();
        assertThat(square).isIn("1:1", "0:1", "N/A", "");
    }

    /** Each I-frame range, after the init segment, is a file ffprobe decodes to exactly one I-frame of the rung's size. */
    @Test
    void iFramePlaylistRangesHoldEachSegmentsKeyframe() throws Exception {
        for (VideoRendition v : output.video()) {
            Path rendition = dir.resolve("out").resolve(v.name());
            MediaPlaylist iframes = v.iframes().orElseThrow();
            assertThat(MediaPlaylist.parse(Files.readString(rendition.resolve("iframes.m3u8")))).isEqualTo(iframes);
            assertThat(iframes.segments()).extracting(MediaPlaylist.Segment::uri).containsExactly("seg_00001.m4s", "seg_00002.m4s");
            String text = Files.readString(rendition.resolve("iframes.m3u8"));
            for (MediaPlaylist.Segment entry : iframes.segments()) {
                byte[] segment = Files.readAllBytes(rendition.resolve(entry.uri()));
                long offset = Long.parseLong(text.split(entry.byteLength() + "@")[1].lines().findFirst().orElseThrow());
                assertThat(new String(segment, (int) offset + 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("moof");
                assertThat(offset + entry.byteLength()).isLessThan(segment.length);
                Path keyframe = rendition.resolve("keyframe-" + entry.uri() + ".mp4");
                Files.write(keyframe, Files.readAllBytes(rendition.resolve("init.mp4")));
                Files.write(keyframe, java.util.Arrays.copyOfRange(segment, (int) offset, (int) (offset + entry.byteLength())),
                        java.nio.file.StandardOpenOption.APPEND);
                String frames = ffmpeg.runFfprobe(List.of("-v", "quiet", "-show_entries", "frame=key_frame,pict_type,width",
                        "-of", "csv=p=0", keyframe.toString()));
                assertThat(frames.lines().filter(l -> !l.isBlank()).map(l -> l.replaceAll(",+$", "")).toList())
                        .containsExactly("1," + v.rung().width() + ",I");
            }
        }
    }

    @Test
    void keyframesAreAlignedAcrossRungs() {
        List<String> first = keyframeTimes(dir.resolve("out/240p/index.m3u8"));
        List<String> second = keyframeTimes(dir.resolve("out/360p/index.m3u8"));
        assertThat(first).isEqualTo(second);
        assertThat(first).hasSize(2); // t=0 and t=4, one per segment
    }

    private static List<String> keyframeTimes(Path playlist) {
        String csv = ffmpeg.runFfprobe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
                "-of", "csv=p=0", playlist.toString()));
        return csv.lines().filter(l -> l.contains("K")).map(l -> l.split(",")[0]).toList();
    }

    @Test
    void masterPlaylistDecodesToTheSourceDuration() throws Exception {
        Path master = dir.resolve("out/master.m3u8");
        Files.writeString(master, HlsMasterPlaylist.render(output.video(), output.audio()));
        assertThat(decodedSeconds(master)).isCloseTo(info.durationSeconds(), within(0.5));
    }

    @Test
    void dashManifestIsReadableByFfmpeg() throws Exception {
        Path mpd = dir.resolve("out/manifest.mpd");
        Files.writeString(mpd, DashManifest.render(output.video(), output.audio()));
        String streams = ffmpeg.runFfprobe(List.of("-v", "error", "-show_entries", "stream=codec_type,width,height",
                "-of", "csv=p=0", mpd.toString()));
        assertThat(streams.lines().toList()).contains("video,426,240", "video,640,360", "audio");
        assertThat(decodedSeconds(mpd)).isCloseTo(info.durationSeconds(), within(0.5));
    }

    /** Decodes every frame of the first video stream and returns the time reached. */
    private static double decodedSeconds(Path manifest) {
        List<String> times = new CopyOnWriteArrayList<>();
        ffmpeg.runFfmpeg(List.of("-v", "error", "-allowed_extensions", "ALL", "-i", manifest.toString(),
                "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"), 6, p -> { });
        String out = ffmpeg.runFfprobe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time",
                "-of", "csv=p=0", manifest.toString()));
        out.lines().filter(l -> !l.isBlank()).forEach(times::add);
        double last = Double.parseDouble(times.getLast().split(",")[0]);
        double first = Double.parseDouble(times.getFirst().split(",")[0]);
        return last - first + 1 / info.frameRate();
    }

    @Test
    void posterIsAScaledJpeg() throws Exception {
        Path poster = new Thumbnails(ffmpeg).poster(source, info, dir.resolve("thumbs/poster.jpg"));
        MediaInfo image = probeImage(poster);
        assertThat(image.width()).isEqualTo(640);
        assertThat(image.height()).isEqualTo(360);
    }

    @Test
    void storyboardCoversTheDuration() throws Exception {
        Storyboard storyboard = new Thumbnails(ffmpeg).storyboard(source, info, dir.resolve("thumbs"));
        assertThat(storyboard.sheets()).containsExactly(dir.resolve("thumbs/sprite_0.jpg"));
        assertThat(storyboard.tileHeight()).isEqualTo(90);
        assertThat(storyboard.tileCount()).isEqualTo(6);
        MediaInfo sheet = probeImage(storyboard.sheets().getFirst());
        assertThat(sheet.width()).isEqualTo(1600);
        assertThat(sheet.height()).isEqualTo(900);
        String vtt = Files.readString(storyboard.vtt());
        assertThat(vtt).startsWith("WEBVTT\n")
                .contains("00:00:00.000 --> 00:00:01.000\nsprite_0.jpg#xywh=0,0,160,90\n")
                .contains("sprite_0.jpg#xywh=800,0,160,90\n");
        assertThat(vtt.strip()).contains("--> " + Thumbnails.timestamp(info.durationSeconds()));
    }

    /** ffprobe's view of a JPEG's size; MediaProbe rightly refuses images, so ask directly. */
    private static MediaInfo probeImage(Path jpg) {
        String csv = ffmpeg.runFfprobe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,codec_name",
                "-of", "csv=p=0", jpg.toString())).strip();
        String[] parts = csv.split(",");
        assertThat(parts[0]).isEqualTo("mjpeg");
        return new MediaInfo(0, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 0, false, parts[0], null, "image2", 0, null);
    }

    @Test
    void videoOnlyEncodeHasNoAudioRendition(@TempDir Path out) {
        CmafOutput silent = new CmafEncoder(ffmpeg, "ultrafast").encode(source, info, rungs.subList(0, 1), false, out, p -> { });
        assertThat(silent.audio()).isEqualTo(Optional.empty());
        assertThat(out.resolve("audio")).doesNotExist();
        assertThat(HlsMasterPlaylist.render(silent.video(), silent.audio())).doesNotContain("AUDIO");
    }
}
