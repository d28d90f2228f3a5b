package org.kinora.server.feature;

/**
 * One capability of Kinora (uploads, transcoding, playback, accounts, channels, search...). It is
 * built with what it needs (the {@link Platform} and the services of the capabilities it builds
 * on) and then adds its parts to the process through {@link Contributions}: routes, job
 * handlers, event consumers, scheduled tasks, readiness checks, meters and resources to close.
 * Adding a capability means writing one class like this and one line in {@code Kinora}.
 */
public interface Feature {
    /** Called once at boot, before the web server, the worker and the event dispatcher start. */
    void contribute(Contributions c);
}
