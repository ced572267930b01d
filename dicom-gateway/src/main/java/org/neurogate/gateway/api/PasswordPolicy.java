package org.neurogate.gateway.api;

import java.util.Locale;

/**
 * What a password must be, for every account and for {@code NEUROGATE_ADMIN_PASSWORD}: at least 12
 * characters, and not the user name (in any case, or inside it). Length is what resists guessing; the
 * name is the first guess.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;

    private PasswordPolicy() {
    }

    /** Why {@code password} is refused for {@code username}, or null when it is acceptable. */
    public static String problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "at least " + MIN_LENGTH + " characters";
        }
        if (username != null && !username.isBlank()
                && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            return "must not contain the user name";
        }
        return null;
    }
}
