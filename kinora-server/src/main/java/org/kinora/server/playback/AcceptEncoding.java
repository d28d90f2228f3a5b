package org.kinora.server.playback;

import java.util.Locale;

/** Reads an {@code Accept-Encoding} request header (RFC 9110 §12.5.3) for the one coding the origin offers. */
public final class AcceptEncoding {
    private AcceptEncoding() {}

    /** Whether gzip is acceptable: listed (or {@code *} without an explicit gzip entry) with a q-value above 0. */
    public static boolean acceptsGzip(String header) {
        if (header == null) return false;
        Double gzip = null;
        Double any = null;
        for (String part : header.split(",")) {
            String[] fields = part.split(";");
            String coding = fields[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String parameter = fields[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0; // a malformed weight: treat the coding as not wanted
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = q;
            } else if (coding.equals("*")) {
                any = q;
            }
        }
        if (gzip != null) return gzip > 0;
        return any != null && any > 0;
    }
}
