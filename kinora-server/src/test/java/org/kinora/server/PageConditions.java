package org.kinora.server;

import com.microsoft.playwright.Page;
import java.time.Duration;

/**
 * Waits in browser tests for a JavaScript expression to turn true, polled from outside the page.
 * Playwright's own {@code waitForFunction} evaluates strings inside the page, which the pages'
 * Content-Security-Policy (rightly) refuses as soon as it has to poll.
 */
final class PageConditions {
    private PageConditions() {}

    /** Waits up to 30 s for {@code expression} (an expression, not a function). */
    static void waitUntil(Page page, String expression) {
        waitUntil(page, expression, Duration.ofSeconds(30), null);
    }

    /**
     * @param diagnostics a JavaScript function whose result goes into the failure message on a
     *                    timeout (what the page looked like), or null
     */
    static void waitUntil(Page page, String expression, Duration timeout, String diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(page.evaluate("() => Boolean(" + expression + ")"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + expression
                        + (diagnostics == null ? "" : "; page: " + page.evaluate(diagnostics)));
            }
            page.waitForTimeout(100);
        }
    }
}
