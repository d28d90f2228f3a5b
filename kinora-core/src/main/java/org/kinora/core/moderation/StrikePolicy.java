package org.kinora.core.moderation;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The strike arithmetic, as YouTube does it. The first violation of an account is a warning; each
 * later one is a strike that expires after 90 days. A strike freezes uploading and going live for
 * a week; one that makes two active strikes, for two weeks; one that makes three active strikes
 * terminates the channel. Severe abuse terminates at once. Reverted penalties (an accepted appeal)
 * count for nothing. Pure: the caller passes the history and the time.
 */
public final class StrikePolicy {
    public static final Duration STRIKE_LIFETIME = Duration.ofDays(90);
    public static final Duration FIRST_FREEZE = Duration.ofDays(7);
    public static final Duration SECOND_FREEZE = Duration.ofDays(14);

    /** One past penalty: what, when, until when (suspensions), and whether an appeal undid it. */
    public record Entry(Penalty penalty, Instant at, Instant until, boolean reverted) {}

    private StrikePolicy() {}

    /** The penalty a new violation earns: a warning the first time, a strike after, termination when severe. */
    public static Penalty nextPenalty(List<Entry> history, boolean severe) {
        if (severe) return Penalty.TERMINATION;
        boolean warned = history.stream().anyMatch(e -> !e.reverted() && e.penalty() == Penalty.WARNING);
        return warned ? Penalty.STRIKE : Penalty.WARNING;
    }

    public static Standing standing(List<Entry> history, Instant now) {
        List<Entry> live = history.stream().filter(e -> !e.reverted()).sorted(Comparator.comparing(Entry::at)).toList();
        boolean warned = live.stream().anyMatch(e -> e.penalty() == Penalty.WARNING);
        boolean terminated = live.stream().anyMatch(e -> e.penalty() == Penalty.TERMINATION && !e.at().isAfter(now));
        List<Instant> strikes = live.stream().filter(e -> e.penalty() == Penalty.STRIKE && !e.at().isAfter(now)).map(Entry::at).toList();
        Instant frozenUntil = null;
        for (int i = 0; i < strikes.size(); i++) {
            Instant at = strikes.get(i);
            int activeThen = 0; // strikes active at the moment this one was given, itself included
            for (int j = 0; j <= i; j++) if (isActive(strikes.get(j), at)) activeThen++;
            if (activeThen >= 3) terminated = true;
            Instant until = at.plus(activeThen == 1 ? FIRST_FREEZE : SECOND_FREEZE);
            if (frozenUntil == null || until.isAfter(frozenUntil)) frozenUntil = until;
        }
        int active = (int) strikes.stream().filter(at -> isActive(at, now)).count();
        if (frozenUntil != null && !frozenUntil.isAfter(now)) frozenUntil = null;
        Instant suspendedUntil = live.stream().filter(e -> e.penalty() == Penalty.SUSPENSION && !e.at().isAfter(now))
                .map(e -> e.until() == null ? Instant.MAX : e.until()).filter(u -> u.isAfter(now))
                .max(Comparator.naturalOrder()).orElse(null);
        return new Standing(warned, active, frozenUntil, suspendedUntil, terminated);
    }

    /** A strike given at {@code at} still counts at {@code now}: less than 90 days have passed. */
    static boolean isActive(Instant at, Instant now) {
        return !at.isAfter(now) && now.isBefore(at.plus(STRIKE_LIFETIME));
    }
}
