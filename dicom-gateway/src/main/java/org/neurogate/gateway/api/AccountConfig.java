package org.neurogate.gateway.api;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** API accounts. */
@ConfigMapping(prefix = "neurogate")
public interface AccountConfig {
    /**
     * Password of the {@code admin} account. When unset, one is generated and printed once, at the
     * start that creates the account. When set, it replaces the stored one. Env: NEUROGATE_ADMIN_PASSWORD.
     */
    Optional<String> adminPassword();

    /**
     * Password checks (bcrypt, deliberately slow) that may run at once. The default, one, keeps a flood
     * of guessed passwords to one core, so DICOM ingest keeps the rest; a check that waits more than two
     * seconds for its turn fails as a wrong password would (401). Env: NEUROGATE_MAX_CONCURRENT_PASSWORD_CHECKS.
     */
    @io.smallrye.config.WithDefault("1")
    int maxConcurrentPasswordChecks();

    /** The lockout after failed logins, per user name and per address. */
    LoginLockout loginLockout();

    /** The lockout as the failure count applies it. */
    default org.neurogate.persistence.LoginFailures.Rule lockoutRule() {
        return new org.neurogate.persistence.LoginFailures.Rule(loginLockout().failures(), loginLockout().window(),
                loginLockout().duration());
    }

    interface LoginLockout {
        /** This many failures within the window lock the name (or address). Env: NEUROGATE_LOGIN_LOCKOUT_FAILURES. */
        @io.smallrye.config.WithDefault("10")
        int failures();

        /** Env: NEUROGATE_LOGIN_LOCKOUT_WINDOW. */
        @io.smallrye.config.WithDefault("15m")
        java.time.Duration window();

        /**
         * How long a lock lasts from the failure that set it; meanwhile even the right password is
         * refused (401). Env: NEUROGATE_LOGIN_LOCKOUT_DURATION.
         */
        @io.smallrye.config.WithDefault("15m")
        java.time.Duration duration();
    }
}
