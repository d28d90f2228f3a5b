package org.kinora.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was opened in the reverse order of opening: whatever is added later may use what
 * was added before (the web server uses the services, the services use the database), so it
 * must stop first. Nobody orders shutdown by hand. A resource that fails to close is logged and
 * the rest still close.
 */
public final class Closer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Registers {@code resource} to be closed before everything added earlier; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable r = opened.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r, e.toString());
            }
        }
    }
}
