package org.kinora.server.mail;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import org.kinora.core.account.Mailer;
import org.kinora.server.config.KinoraConfig;

/** Sends mail through the configured SMTP server with Jakarta Mail (Eclipse Angus), with timeouts so a dead server cannot hold a request. */
final class SmtpMailer implements Mailer {
    private final Session session;
    private final String from;

    SmtpMailer(KinoraConfig.Trust c) {
        Properties p = new Properties();
        String host = c.smtpHost().orElseThrow();
        boolean tls = c.smtpSecurity().equals("tls");
        String protocol = tls ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", host);
        p.put("mail." + protocol + ".port", Integer.toString(c.smtpPort()));
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "20000");
        p.put("mail." + protocol + ".writetimeout", "20000");
        if (c.smtpSecurity().equals("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (tls) p.put("mail.smtps.ssl.checkserveridentity", "true");
        Authenticator auth = null;
        if (c.smtpUsername().isPresent()) {
            p.put("mail." + protocol + ".auth", "true");
            String user = c.smtpUsername().get();
            String password = c.smtpPassword().orElse("");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
        this.from = c.smtpFrom();
    }

    @Override
    public void send(String to, String subject, String body) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from, true));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            m.setSubject(subject, StandardCharsets.UTF_8.name());
            m.setText(body, StandardCharsets.UTF_8.name());
            m.setSentDate(new Date());
            Transport.send(m);
        } catch (MessagingException e) {
            throw new IllegalStateException("the SMTP server did not take the email to " + to + ": " + e.getMessage(), e);
        }
    }
}
