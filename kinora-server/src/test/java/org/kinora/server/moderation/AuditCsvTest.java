package org.kinora.server.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AuditCsvTest {

    @Test
    void generatedIdentifiersAreExportedExactlyEvenWithALeadingDash() {
        // Video ids are random base64url: one in 64 starts with '-'; the export must still name it exactly.
        assertThat(AuditRoutes.csvId("-5VqFXYKAxQ")).isEqualTo("-5VqFXYKAxQ");
        assertThat(AuditRoutes.csvId("nvCAQ7y_KMYBRRPw3a7M7Q")).isEqualTo("nvCAQ7y_KMYBRRPw3a7M7Q");
    }

    @Test
    void anythingElseThatLooksLikeAFormulaIsDefused() {
        assertThat(AuditRoutes.csvId("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AuditRoutes.csv("-2+3")).isEqualTo("\"'-2+3\"");
        assertThat(AuditRoutes.csv("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(AuditRoutes.csv("plain, with comma")).isEqualTo("\"plain, with comma\"");
        assertThat(AuditRoutes.csv(null)).isEmpty();
    }
}
