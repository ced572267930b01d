package org.neurogate.gateway.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.neurogate.gateway.EarlySettings;
import org.neurogate.reports.deid.DeidentificationProfile;
import org.neurogate.reports.deid.Pseudonyms;

/** What an export needs to know about the site, whether a gateway or the CLI runs it. */
public record ExportSettings(Path dataDir, Pseudonyms pseudonyms, DeidentificationProfile profile, String version) {

    public static ExportSettings of(Path dataDir, ExportConfig config, String version) throws IOException {
        return of(dataDir, config.secret(), config.secretFile(), config.dateShiftDays(),
                config.safePrivate().orElse(List.of()), config.faceMarginMm(), version);
    }

    /** The settings from NEUROGATE_* environment variables (or system properties), as the gateway reads them. */
    public static ExportSettings fromEnvironment(Path dataDir, String version) throws IOException {
        return of(dataDir, EarlySettings.get("neurogate.export.secret"), EarlySettings.get("neurogate.export.secret-file").map(Path::of),
                Integer.parseInt(EarlySettings.get("neurogate.export.date-shift-days").orElse("365")),
                EarlySettings.get("neurogate.export.safe-private").map(s -> Arrays.stream(s.split(",")).map(String::strip)
                        .filter(v -> !v.isEmpty()).toList()).orElse(List.of()),
                Double.parseDouble(EarlySettings.get("neurogate.export.face-margin-mm").orElse("4")), version);
    }

    private static ExportSettings of(Path dataDir, Optional<String> secret, Optional<Path> secretFile, int shiftDays,
                                     List<String> safePrivate, double faceMarginMm, String version) throws IOException {
        byte[] key = secret.isPresent() ? Pseudonyms.configuredSecret(secret.get())
                : Pseudonyms.siteSecret(secretFile.orElse(dataDir.resolve("export-secret.key")));
        return new ExportSettings(dataDir, new Pseudonyms(key, shiftDays), new DeidentificationProfile(safePrivate,
                faceMarginMm), version);
    }
}
