package org.kinora.server.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.kinora.server.config.ConfigLoader.ConfigException;

/** Reads and checks the {@code blob.store} and {@code s3.*} keys. */
final class BlobConfig {
    private BlobConfig() {}

    static KinoraConfig.Blob parse(Map<String, String> v) {
        String store = v.get("blob.store").strip().toLowerCase(Locale.ROOT);
        if (!store.equals("local") && !store.equals("s3")) {
            throw new ConfigException("blob.store must be 'local' or 's3', not '" + store + "'.");
        }
        String endpoint = v.get("s3.endpoint").strip();
        String bucket = v.get("s3.bucket").strip();
        String checksums = v.get("s3.checksums").strip().toLowerCase(Locale.ROOT);
        if (!checksums.equals("when-supported") && !checksums.equals("when-required")) {
            throw new ConfigException("s3.checksums must be 'when-supported' or 'when-required', not '" + checksums + "'.");
        }
        String partSize = v.get("s3.part-size-mb").strip();
        int partSizeMb;
        try {
            partSizeMb = Integer.parseInt(partSize);
        } catch (NumberFormatException e) {
            throw new ConfigException("s3.part-size-mb must be a whole number, not '" + partSize + "'.");
        }
        if (partSizeMb < 5 || partSizeMb > 5120) {
            throw new ConfigException("s3.part-size-mb must be between 5 (S3's smallest part) and 5120, not " + partSizeMb + ".");
        }
        if (store.equals("s3")) {
            if (bucket.isEmpty()) throw new ConfigException("blob.store = s3 needs s3.bucket: the bucket that holds Kinora's media.");
            if (!endpoint.isEmpty()) {
                URI uri;
                try {
                    uri = URI.create(endpoint);
                } catch (IllegalArgumentException e) {
                    uri = null;
                }
                if (uri == null || uri.getHost() == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
                    throw new ConfigException("s3.endpoint must be an http:// or https:// URL, not '" + endpoint + "'.");
                }
            }
            long largest = (long) partSizeMb * 1024 * 1024 * 10_000;
            long maxUpload = Long.parseLong(v.get("upload.max-size-bytes").strip());
            if (maxUpload > largest) {
                throw new ConfigException("upload.max-size-bytes (" + maxUpload + ") is more than an S3 multipart upload of 10000 parts of "
                        + "s3.part-size-mb = " + partSizeMb + " MiB can hold; raise s3.part-size-mb to at least "
                        + (maxUpload / (10_000L * 1024 * 1024) + 1) + ".");
            }
            if (v.get("s3.access-key").isBlank() != v.get("s3.secret-key").isBlank()) {
                throw new ConfigException("s3.access-key and s3.secret-key go together: set both, or neither to use the AWS default credentials.");
            }
        }
        return new KinoraConfig.Blob(store, new KinoraConfig.S3(endpoint, v.get("s3.region").strip(), bucket,
                bool(v, "s3.path-style"), v.get("s3.access-key").strip(), v.get("s3.secret-key").strip(), checksums,
                bool(v, "s3.create-bucket"), partSizeMb, presignSeconds(v)));
    }

    private static int presignSeconds(Map<String, String> v) {
        String s = v.get("s3.presign-seconds").strip();
        int seconds;
        try {
            seconds = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ConfigException("s3.presign-seconds must be a whole number, not '" + s + "'.");
        }
        // SigV4 presigned URLs live at most 7 days.
        if (seconds < 0 || seconds > 604_800) {
            throw new ConfigException("s3.presign-seconds must be between 0 (off) and 604800 (7 days), not " + seconds + ".");
        }
        return seconds;
    }

    private static boolean bool(Map<String, String> v, String key) {
        String s = v.get(key).strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key + " must be true or false, not '" + s + "'.");
        };
    }
}
