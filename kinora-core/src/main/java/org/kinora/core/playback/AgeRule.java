package org.kinora.core.playback;

import java.time.LocalDate;
import java.time.Period;
import java.util.Optional;

/**
 * Who may watch an age-restricted video: a signed-in viewer whose date of birth says 18 or more
 * (the owner always may). The refusal says which of the three steps is missing, so that the watch
 * page can ask for exactly that (sign in, add a date of birth, or nothing can be done).
 */
public final class AgeRule {
    public static final int ADULT_AGE = 18;

    private AgeRule() {}

    /** Why playback is refused: {@code code} for clients, {@code message} for people. */
    public record Refusal(String code, String message) {}

    public static final Refusal SIGN_IN = new Refusal("age_restricted_sign_in",
            "This video is age-restricted: sign in with an account whose date of birth says you are 18 or older to watch it.");
    public static final Refusal BIRTH_DATE = new Refusal("age_restricted_birth_date_missing",
            "This video is age-restricted: add your date of birth in your account settings to watch it.");
    public static final Refusal TOO_YOUNG = new Refusal("age_restricted_too_young",
            "This video is age-restricted: it is only for viewers aged 18 or older.");

    /**
     * @param viewerId  null for an anonymous viewer
     * @param birthDate the viewer's date of birth, when they gave one
     * @param today     the date at the viewer's side is unknown, so the server's (UTC) date decides
     */
    public static Optional<Refusal> refusal(boolean ageRestricted, boolean owner, String viewerId,
                                            Optional<LocalDate> birthDate, LocalDate today) {
        if (!ageRestricted || owner) return Optional.empty();
        if (viewerId == null) return Optional.of(SIGN_IN);
        if (birthDate.isEmpty()) return Optional.of(BIRTH_DATE);
        return isAdult(birthDate.get(), today) ? Optional.empty() : Optional.of(TOO_YOUNG);
    }

    /** 18 on the 18th birthday (born on 29 February: from 1 March in common years, as Period counts). */
    public static boolean isAdult(LocalDate birthDate, LocalDate today) {
        return !birthDate.isAfter(today) && Period.between(birthDate, today).getYears() >= ADULT_AGE;
    }
}
