package org.neurogate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginFailuresTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-01-01T08:00:00Z");
    private static final LoginFailures.Rule RULE = new LoginFailures.Rule(10, Duration.ofMinutes(15), Duration.ofMinutes(15));

    private static List<OffsetDateTime> every(int count, Duration step) {
        List<OffsetDateTime> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(T0.plus(step.multipliedBy(i)));
        }
        return times;
    }

    @Test
    void tenFailuresWithinTheWindowLockFromTheTenth() {
        List<OffsetDateTime> times = every(10, Duration.ofMinutes(1));
        assertEquals(T0.plusMinutes(9).plusMinutes(15), LoginFailures.lockedUntil(times, RULE));
    }

    @Test
    void nineFailuresOrTenSpreadOverMoreThanTheWindowDoNot() {
        assertNull(LoginFailures.lockedUntil(every(9, Duration.ofMinutes(1)), RULE));
        assertNull(LoginFailures.lockedUntil(every(10, Duration.ofMinutes(2)), RULE), "18 minutes from first to tenth");
    }

    @Test
    void theLatestQualifyingFailureSetsTheEnd() {
        List<OffsetDateTime> times = every(12, Duration.ofSeconds(30));
        assertEquals(T0.plusSeconds(11 * 30).plusMinutes(15), LoginFailures.lockedUntil(times, RULE));
    }
}
