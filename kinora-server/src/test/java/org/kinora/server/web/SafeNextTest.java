package org.kinora.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sign-in's {@code next}: only a path on this site survives (issue 12, item 3). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SafeNextTest {
    @Test
    void pathsOnThisSiteAreKept() {
        for (String ok : new String[] {"/", "/watch/abc", "/watch/abc?t=1&list=x", "/channel/@dora", "/search?q=caf%C3%A9", "/é"}) {
            assertThat(WebRoutes.safeNext(ok)).as(ok).isEqualTo(ok);
        }
    }

    @Test
    void anythingThatCouldLeaveTheSiteBecomesTheHomePage() {
        for (String evil : new String[] {null, "", "evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
                "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\u0000/evil.example", "/\u007f/evil.example",
                "/\u0085/evil.example", "/\u2028/evil.example", "https://evil.example", "javascript:alert(1)", "/ /evil.example",
                "/" + "a".repeat(3000)}) {
            assertThat(WebRoutes.safeNext(evil)).as(String.valueOf(evil)).isEqualTo("/");
        }
    }
}
