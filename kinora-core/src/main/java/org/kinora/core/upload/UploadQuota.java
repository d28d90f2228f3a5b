package org.kinora.core.upload;

/** Decides whether a user may start an upload of {@code length} more bytes; throws a 4xx-kind error when not. */
@FunctionalInterface
public interface UploadQuota {
    void check(String ownerId, long length);

    static UploadQuota unlimited() {
        return (owner, length) -> {};
    }
}
