package org.kinora.adapters.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.kinora.core.channel.ImageProcessor;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/**
 * Channel pictures with the JDK's ImageIO: JPEG, PNG, GIF (first frame) and BMP. The declared
 * dimensions are checked before any pixel is decoded, so a small file claiming to be a huge
 * picture (a decompression bomb) is refused without allocating it.
 */
public final class ImageIoProcessor implements ImageProcessor {
    private static final int MAX_SIDE = 10_000;
    private static final long MAX_PIXELS = 40_000_000L;
    private static final String ACCEPTED = "JPEG, PNG, GIF or BMP";

    @Override
    public byte[] coverJpeg(byte[] image, int width, int height) {
        BufferedImage source = decode(image);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        // Cover: scale so the picture fills the frame, crop what overflows, centred.
        double scale = Math.max((double) width / source.getWidth(), (double) height / source.getHeight());
        int w = (int) Math.ceil(source.getWidth() * scale);
        int h = (int) Math.ceil(source.getHeight() * scale);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(java.awt.Color.WHITE); // transparent PNG areas become white, not black
            g.fillRect(0, 0, width, height);
            g.drawImage(source, (width - w) / 2, (height - h) / 2, w, h, null);
        } finally {
            g.dispose();
        }
        return jpeg(out);
    }

    private static BufferedImage decode(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new KinoraException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "unsupported_image",
                        "That file is not a picture Kinora can read; upload a " + ACCEPTED + " image.",
                        Map.of("accepted", ACCEPTED));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                    throw KinoraException.badRequest("image_dimensions",
                            "The picture is " + w + "x" + h + " pixels; send one at most " + MAX_SIDE + " pixels on a side and "
                                    + MAX_PIXELS / 1_000_000 + " megapixels.");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KinoraException k) throw k;
            throw KinoraException.badRequest("invalid_image", "The picture could not be decoded (" + e.getMessage()
                    + "); it may be truncated or damaged.");
        }
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.88f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a JPEG in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
