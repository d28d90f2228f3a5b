package org.kinora.core.common;

import java.util.Map;

/**
 * A failure the caller can act on: a stable machine-readable {@code code}, a sentence for people
 * and optional details. The HTTP layer renders it as {@code {"code","message","details"}}.
 */
public class KinoraException extends RuntimeException {
    private final ErrorKind kind;
    private final String code;
    private final Map<String, Object> details;

    public KinoraException(ErrorKind kind, String code, String message) {
        this(kind, code, message, Map.of());
    }

    public KinoraException(ErrorKind kind, String code, String message, Map<String, Object> details) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ErrorKind kind() { return kind; }
    public String code() { return code; }
    public Map<String, Object> details() { return details; }

    public static KinoraException notFound(String what) {
        return new KinoraException(ErrorKind.NOT_FOUND, "not_found", what + " was not found.");
    }

    public static KinoraException badRequest(String code, String message) {
        return new KinoraException(ErrorKind.BAD_REQUEST, code, message);
    }

    public static KinoraException forbidden(String message) {
        return new KinoraException(ErrorKind.FORBIDDEN, "forbidden", message);
    }

    public static KinoraException unauthorized(String code, String message) {
        return new KinoraException(ErrorKind.UNAUTHORIZED, code, message);
    }

    public static KinoraException conflict(String code, String message) {
        return new KinoraException(ErrorKind.CONFLICT, code, message);
    }
}
