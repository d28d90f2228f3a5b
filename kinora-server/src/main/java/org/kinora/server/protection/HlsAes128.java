package org.kinora.server.protection;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.kinora.core.blob.BlobKeys;

/**
 * HLS AES-128 (RFC 8216 4.3.2.4) over the stored CMAF files: each media segment is encrypted whole
 * with AES-128-CBC and PKCS#7 padding, the key changing every {@code rotation} segments, the IV
 * the segment's number. The init segment stays clear (its EXT-X-MAP precedes every EXT-X-KEY):
 * it holds no media. Key URIs are relative ({@code ../../keys/hls/<n>.key}, from {@code aes/<rung>/index.m3u8}), so a playlist cached
 * once at the edge for every viewer sends each player to the key endpoint under its own playback
 * token.
 */
final class HlsAes128 {
    private HlsAes128() {}

    /** Which key a segment uses. */
    static int keyIndex(int segmentNumber, int rotation) {
        return (segmentNumber - 1) / rotation;
    }

    /** A rung's media playlist with an EXT-X-KEY before each segment (its key and its own IV). */
    static String protectMediaPlaylist(String playlist, int rotation) {
        List<String> out = new ArrayList<>();
        int segmentStart = -1; // where the tags of the segment being read begin in out
        for (String line : playlist.split("\n", -1)) {
            if (line.startsWith("#EXTINF") && segmentStart < 0) segmentStart = out.size();
            if (BlobKeys.isSegmentFile(line.strip())) {
                int n = BlobKeys.segmentNumber(line.strip());
                String key = "#EXT-X-KEY:METHOD=AES-128,URI=\"../../keys/hls/" + keyIndex(n, rotation) + ".key\",IV=0x"
                        + String.format("%032x", n);
                out.add(segmentStart < 0 ? out.size() : segmentStart, key);
                segmentStart = -1;
            }
            out.add(line);
        }
        return String.join("\n", out);
    }

    /** The master playlist without I-frame playlists: their byte ranges point into clear segments that are no longer served. */
    static String protectMasterPlaylist(String playlist) {
        List<String> out = new ArrayList<>();
        for (String line : playlist.split("\n", -1)) {
            if (!line.startsWith("#EXT-X-I-FRAME-STREAM-INF")) out.add(line);
        }
        return String.join("\n", out);
    }

    static int segmentNumber(String fileName) {
        return BlobKeys.segmentNumber(fileName);
    }

    static byte[] encryptSegment(byte[] plain, byte[] key, int segmentNumber) {
        try {
            Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS#5 in the JDK's name is PKCS#7 for 16-byte blocks
            cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv(segmentNumber)));
            return cbc.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable", e);
        }
    }

    /** The IV the playlist names: the segment number as a 128-bit big-endian integer. */
    static byte[] iv(int segmentNumber) {
        return ByteBuffer.allocate(16).putLong(8, segmentNumber).array();
    }
}
