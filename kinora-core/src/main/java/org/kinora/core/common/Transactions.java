package org.kinora.core.common;

import java.util.function.Supplier;

/**
 * Runs work atomically across repositories of the same store. Repositories called inside
 * {@link #inTransaction} on the same thread join that transaction.
 */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
