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
}
