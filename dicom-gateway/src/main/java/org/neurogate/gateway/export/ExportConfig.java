package org.neurogate.gateway.export;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Research exports. The CLI ({@code ./neurogate export}) reads the same settings from the same
 * environment variables ({@link ExportSettings#fromEnvironment}).
 */
@ConfigMapping(prefix = "neurogate.export")
public interface ExportConfig {

    /**
     * The site secret behind pseudonyms, date offsets and UIDs, as text. Unset: a random secret kept
     * in {@link #secretFile()}. It is never logged or exported; changing it changes every pseudonym.
     * Env: NEUROGATE_EXPORT_SECRET.
     */
    Optional<String> secret();

    /**
     * Where the generated site secret is kept (mode 0600); default {@code <data dir>/export-secret.key}.
     * Env: NEUROGATE_EXPORT_SECRET_FILE.
     */
    Optional<Path> secretFile();

    /** Every date of a patient moves by one keyed offset of 1 to this many days, earlier or later. Env: NEUROGATE_EXPORT_DATE_SHIFT_DAYS. */
    @WithDefault("365")
    int dateShiftDays();

    /**
     * Private attributes exported (all others are removed), each {@code CREATOR/(gggg,xxee)}, comma
     * separated; none by default. Env: NEUROGATE_EXPORT_SAFE_PRIVATE.
     */
    Optional<List<String>> safePrivate();

    /** How far beyond the brain mask's hull the defacing plane lies, mm. Env: NEUROGATE_EXPORT_FACE_MARGIN_MM. */
    @WithDefault("4")
    double faceMarginMm();
}
