package org.kinora.core.channel;

/**
 * Port: decodes an uploaded picture and re-encodes it cropped and scaled to exactly
 * {@code width}x{@code height} as JPEG. Throws a BAD_REQUEST/UNSUPPORTED_MEDIA_TYPE
 * {@link org.kinora.core.common.KinoraException} when the bytes are not a picture it can read.
 * Re-encoding also drops whatever else the file carried (metadata, scripts in polyglots).
 */
public interface ImageProcessor {
    byte[] coverJpeg(byte[] image, int width, int height);
}
