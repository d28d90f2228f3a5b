package org.kinora.core.playback;

import java.time.LocalDate;
import java.util.Optional;

/** Port: viewers' dates of birth (optional; asked at sign-up or in the account settings). */
public interface BirthDates {
    Optional<LocalDate> find(String userId);

    /** Sets the date, or forgets it when {@code birthDate} is empty. */
    void save(String userId, Optional<LocalDate> birthDate);
}
