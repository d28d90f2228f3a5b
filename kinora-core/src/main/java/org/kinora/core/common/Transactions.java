package org.kinora.core.common;

import java.util.function.Supplier;

/**
 * Runs work atomically across repositories of the same store. Repositories called inside
 * {@link #inTransaction} on the same thread join that transaction.
 */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    /**
     * Runs {@code action} after the current transaction commits (at once when there is none);
     * it is dropped when the transaction rolls back. For effects outside the database that must
     * not be seen before the change they announce (pushing a notification to an open page).
     */
    default void afterCommit(Runnable action) {
        action.run();
    }

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
