package org.kinora.core.common;

/** What kind of failure a {@link KinoraException} is; the HTTP layer maps each to a status. */
public enum ErrorKind {
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    GONE,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    CHECKSUM_MISMATCH,
    PRECONDITION_FAILED,
    RANGE_NOT_SATISFIABLE,
    RATE_LIMITED,
    NOT_IMPLEMENTED,
    UNAVAILABLE
}
