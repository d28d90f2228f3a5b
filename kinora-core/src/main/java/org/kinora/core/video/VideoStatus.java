package org.kinora.core.video;

/** A video's life: bytes arriving, being transcoded, playable, or failed with a reason. */
public enum VideoStatus {
    UPLOADING, PROCESSING, READY, FAILED;

    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
