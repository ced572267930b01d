package org.neurogate.gateway;

import java.util.Locale;
import java.util.Optional;

/**
 * Settings read before (or without) Quarkus: by the launcher, which starts the embedded database, and
 * by the command-line tools, which run without the application. The same names as the configuration:
 * the system property first, then its environment-variable form (neurogate.data-dir ← NEUROGATE_DATA_DIR).
 */
public final class EarlySettings {

    private EarlySettings() {
    }

    public static Optional<String> get(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
