package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.server.engines.Loopback;

/**
 * Email verification and password reset through a real SMTP server (GreenMail): the link in the
 * email works once, an expired or used one is refused, and a reset ends the old sessions.
 */
@Timeout(120)
class EmailFlowIT {
    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]{43})");

    @TempDir
    static Path dir;
    static GreenMail smtp;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        int port = Loopback.freePort();
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = new TestServer(dir.resolve("data"), Map.of("smtp.host", "127.0.0.1", "smtp.port", Integer.toString(port),
                "smtp.security", "none", "smtp.from", "kinora@example.org", "server.public-url", "https://video.example.org"));
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (smtp != null) smtp.stop();
    }

    private static String register(String name) throws Exception {
        Api.Reply r = api.post("/api/v1/auth/register",
                "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\",\"password\":\"correct horse\"}", null);
        assertThat(r.status()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** The token in the newest email to {@code to}. */
    private static String tokenMailedTo(String to, String subject) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            MimeMessage[] all = smtp.getReceivedMessages();
            for (int i = all.length - 1; i >= 0; i--) {
                MimeMessage m = all[i];
                if (m.getAllRecipients()[0].toString().equals(to) && m.getSubject().contains(subject)) {
                    String body = GreenMailUtil.getBody(m).replace("=\r\n", "");
                    assertThat(body).contains("https://video.example.org/");
                    Matcher t = TOKEN.matcher(body);
                    assertThat(t.find()).as(body).isTrue();
                    return t.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no email '" + subject + "' to " + to);
    }

    private static Api.Reply signIn(String name, String password) throws Exception {
        return api.post("/api/v1/auth/token", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}", null);
    }

    @Test
    void signUpSendsAVerificationLinkThatWorksOnce() throws Exception {
        register("vera");
        assertThat(signIn("vera", "correct horse").code()).isEqualTo("email_unverified");
        String token = tokenMailedTo("vera@example.org", "Confirm your email");
        assertThat(api.post("/api/v1/auth/email/verify", "{\"token\":\"not-a-token\"}", null).code()).isEqualTo("invalid_token");
        assertThat(api.post("/api/v1/auth/email/verify", "{\"token\":\"" + token + "\"}", null).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/auth/email/verify", "{\"token\":\"" + token + "\"}", null).code()).isEqualTo("invalid_token");
        Api.Reply in = signIn("vera", "correct horse");
        assertThat(in.status()).isEqualTo(200);
        String bearer = in.json().get("access_token").asText();
        assertThat(api.ok("/api/v1/auth/email", bearer).get("email_verified").asBoolean()).isTrue();
        assertThat(api.post("/api/v1/auth/email/verification", null, bearer).code()).isEqualTo("already_verified");
        // Only the hash is stored: the token itself is nowhere in the database.
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             var q = c.prepareStatement("SELECT count(*) FROM account_tokens WHERE token_hash = ?")) {
            q.setString(1, token);
            var rs = q.executeQuery();
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aPasswordResetLinkSetsANewPasswordOnceAndEndsOldSessions() throws Exception {
        register("rita");
        api.post("/api/v1/auth/email/verify", "{\"token\":\"" + tokenMailedTo("rita@example.org", "Confirm your email") + "\"}", null);
        String old = signIn("rita", "correct horse").json().get("access_token").asText();

        // The same answer for an address without an account; no email goes out for it.
        int before = smtp.getReceivedMessages().length;
        assertThat(api.post("/api/v1/auth/password/reset", "{\"email\":\"nobody@example.org\"}", null).status()).isEqualTo(202);
        assertThat(api.post("/api/v1/auth/password/reset", "{\"email\":\"RITA@example.org\"}", null).status()).isEqualTo(202);
        String first = tokenMailedTo("rita@example.org", "Reset your Kinora password");
        assertThat(smtp.getReceivedMessages().length).isEqualTo(before + 1);

        // A newer link replaces the older one.
        api.post("/api/v1/auth/password/reset", "{\"email\":\"rita@example.org\"}", null);
        smtp.waitForIncomingEmail(5000, before + 2);
        String second = tokenMailedTo("rita@example.org", "Reset your Kinora password");
        assertThat(second).isNotEqualTo(first);
        String confirm = "{\"token\":\"%s\",\"new_password\":\"%s\"}";
        assertThat(api.post("/api/v1/auth/password/reset/confirm", confirm.formatted(first, "battery staple"), null).code()).isEqualTo("invalid_token");
        assertThat(api.post("/api/v1/auth/password/reset/confirm", confirm.formatted(second, "short"), null).code()).isEqualTo("invalid_password");
        assertThat(api.post("/api/v1/auth/password/reset/confirm", confirm.formatted(second, "battery staple"), null).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/auth/password/reset/confirm", confirm.formatted(second, "battery staple 2"), null).code()).isEqualTo("invalid_token");

        assertThat(api.get("/api/v1/me", old).status()).isEqualTo(401);
        assertThat(signIn("rita", "correct horse").status()).isEqualTo(401);
        assertThat(signIn("rita", "battery staple").status()).isEqualTo(200);
    }

    @Test
    void theLinksOpenPagesOfKinora() throws Exception {
        var verify = server.get("/verify-email?token=abc", null);
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(verify.body()).contains("/static/js/account-email.js").contains("Confirm your email address");
        var reset = server.get("/reset-password?token=abc", null);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).contains("reset-confirm");
        assertThat(server.get("/signin", null).body()).contains("href=\"/reset-password\"");
    }

    @Test
    void anExpiredLinkIsRefused() throws Exception {
        String id = register("otto");
        String token = tokenMailedTo("otto@example.org", "Confirm your email");
        try (Connection c = DriverManager.getConnection(server.kinora.databaseUrl());
             var q = c.prepareStatement("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = ?")) {
            q.setString(1, id);
            assertThat(q.executeUpdate()).isEqualTo(1);
        }
        assertThat(api.post("/api/v1/auth/email/verify", "{\"token\":\"" + token + "\"}", null).code()).isEqualTo("invalid_token");
        // Signing in with the link expired sends a fresh one, which works.
        assertThat(signIn("otto", "correct horse").code()).isEqualTo("email_unverified");
        String fresh = tokenMailedTo("otto@example.org", "Confirm your email");
        assertThat(fresh).isNotEqualTo(token);
        assertThat(api.post("/api/v1/auth/email/verify", "{\"token\":\"" + fresh + "\"}", null).status()).isEqualTo(200);
        assertThat(signIn("otto", "correct horse").status()).isEqualTo(200);
    }
}
