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
    /** Well-formed but cannot be processed as sent (422), e.g. an Idempotency-Key reused for another request. */
    UNPROCESSABLE,
    RANGE_NOT_SATISFIABLE,
    RATE_LIMITED,
    NOT_IMPLEMENTED,
    /** Refused where the viewer is (451): a video's country rules. */
    UNAVAILABLE_FOR_LEGAL_REASONS,
    UNAVAILABLE
}
