package org.kinora.core.details;

/** A chapter of a video: from {@code start} seconds until the next chapter (or the end). */
public record Chapter(int start, String title) {}
