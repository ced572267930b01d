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

    /** Where the embedded PostgreSQL's binaries are unpacked: the setting, else the user's private cache. */
    public static java.nio.file.Path embeddedDatabaseBinaries() {
        return get("neurogate.embedded-db.binaries-dir").map(java.nio.file.Path::of)
                .orElse(org.neurogate.persistence.EmbeddedDatabase.defaultBinariesDirectory());
    }

    public static Optional<String> get(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
