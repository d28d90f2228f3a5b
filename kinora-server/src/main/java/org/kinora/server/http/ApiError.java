package org.kinora.server.http;

import java.util.Map;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/** The error body every endpoint returns: {@code {"code","message","details"}}. */
public record ApiError(String code, String message, Map<String, Object> details) {

    public static ApiError of(KinoraException e) {
        return new ApiError(e.code(), e.getMessage(), e.details());
    }

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case PRECONDITION_FAILED -> 412;
            case UNPROCESSABLE -> 422;
            case PAYLOAD_TOO_LARGE -> 413;
            case RANGE_NOT_SATISFIABLE -> 416;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case RATE_LIMITED -> 429;
            case CHECKSUM_MISMATCH -> 460; // tus checksum extension
            case NOT_IMPLEMENTED -> 501;
            case UNAVAILABLE_FOR_LEGAL_REASONS -> 451;
            case UNAVAILABLE -> 503;
        };
    }
}
