package org.kinora.media.live.rtmp;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMF0, the encoding of RTMP commands ({@code connect}, {@code publish}...). Only what a
 * publisher sends is decoded; anything else, a nesting deeper than {@link #MAX_DEPTH} or a length
 * beyond the message is a {@link RtmpProtocolException}, which closes the connection.
 */
public final class Amf0 {
    static final int MAX_DEPTH = 8;
    /** A value AMF0 calls null or undefined. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() { return "null"; }
    };

    private Amf0() {}

    /** Every value in the message body, in order. */
    public static List<Object> decodeAll(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<Object> values = new ArrayList<>();
        try {
            while (in.hasRemaining()) values.add(decode(in, 0));
        } catch (BufferUnderflowException e) {
            throw new RtmpProtocolException("AMF0 value runs past the end of the message");
        }
        return values;
    }

    private static Object decode(ByteBuffer in, int depth) {
        if (depth > MAX_DEPTH) throw new RtmpProtocolException("AMF0 values nested deeper than " + MAX_DEPTH);
        int type = in.get() & 0xFF;
        return switch (type) {
            case 0 -> in.getDouble();
            case 1 -> in.get() != 0;
            case 2 -> string(in, in.getShort() & 0xFFFF);
            case 3 -> properties(in, depth);
            case 5, 6 -> NULL;
            case 8 -> {
                in.getInt(); // the count is a hint only; the end marker ends it
                yield properties(in, depth);
            }
            case 10 -> {
                long n = in.getInt() & 0xFFFFFFFFL;
                if (n > in.remaining()) throw new RtmpProtocolException("AMF0 array longer than the message");
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < n; i++) list.add(decode(in, depth + 1));
                yield list;
            }
            case 11 -> {
                double millis = in.getDouble();
                in.getShort();
                yield millis;
            }
            case 12 -> {
                long n = in.getInt() & 0xFFFFFFFFL;
                if (n > in.remaining()) throw new RtmpProtocolException("AMF0 long string longer than the message");
                yield string(in, (int) n);
            }
            default -> throw new RtmpProtocolException("unsupported AMF0 type " + type);
        };
    }

    private static Map<String, Object> properties(ByteBuffer in, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            String key = string(in, in.getShort() & 0xFFFF);
            if (key.isEmpty()) {
                if ((in.get() & 0xFF) != 9) throw new RtmpProtocolException("AMF0 object without its end marker");
                return map;
            }
            map.put(key, decode(in, depth + 1));
        }
    }

    private static String string(ByteBuffer in, int length) {
        if (length > in.remaining()) throw new RtmpProtocolException("AMF0 string longer than the message");
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Encodes numbers, booleans, strings, maps (as objects) and {@link #NULL}. */
    static byte[] encode(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : values) encode(out, v);
        return out.toByteArray();
    }

    private static void encode(ByteArrayOutputStream out, Object v) {
        if (v == null || v == NULL) {
            out.write(5);
        } else if (v instanceof Number n) {
            out.write(0);
            long bits = Double.doubleToLongBits(n.doubleValue());
            for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
        } else if (v instanceof Boolean b) {
            out.write(1);
            out.write(b ? 1 : 0);
        } else if (v instanceof String s) {
            out.write(2);
            shortString(out, s);
        } else if (v instanceof Map<?, ?> m) {
            out.write(3);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                shortString(out, e.getKey().toString());
                encode(out, e.getValue());
            }
            out.write(0);
            out.write(0);
            out.write(9);
        } else {
            throw new IllegalArgumentException("cannot encode " + v.getClass());
        }
    }

    private static void shortString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }
}
