package org.kinora.server.protection;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.kinora.core.common.KinoraException;

/** A date of birth as clients send it: ISO {@code YYYY-MM-DD}, or null/empty for none. */
public final class BirthDateInput {
    private static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);

    private BirthDateInput() {}

    public static Optional<LocalDate> parse(String value, LocalDate today) {
        if (value == null || value.isBlank()) return Optional.empty();
        LocalDate d;
        try {
            d = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw KinoraException.badRequest("invalid_birth_date", "birth_date must be a date written YYYY-MM-DD, like 1990-04-23.");
        }
        if (d.isAfter(today) || d.isBefore(EARLIEST)) {
            throw KinoraException.badRequest("invalid_birth_date", "birth_date must be between 1900-01-01 and today.");
        }
        return Optional.of(d);
    }
}
