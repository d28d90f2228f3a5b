package org.kinora.core.blob;

import java.time.Instant;

/** Size and last modification of a stored blob; together they make a cheap strong ETag. */
public record BlobInfo(String key, long size, Instant lastModified) {
    public String etag() {
        return "\"" + Long.toHexString(size) + "-" + Long.toHexString(lastModified.toEpochMilli()) + "\"";
    }
}
