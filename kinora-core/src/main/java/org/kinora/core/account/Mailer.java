package org.kinora.core.account;

/** Port: sends one plain-text email. Throws when the mail server refused it or could not be reached. */
public interface Mailer {
    void send(String to, String subject, String body);
}
