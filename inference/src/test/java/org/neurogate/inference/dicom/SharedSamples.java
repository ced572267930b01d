package org.neurogate.inference.dicom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real public samples in ../shared/data; tests skip, saying so, when they are absent. */
final class SharedSamples {

    private SharedSamples() {
    }

    static Path folder(String name) {
        Path dir = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data", name);
        assumeTrue(Files.isDirectory(dir), dir.toAbsolutePath() + " is absent; skipping");
        return dir;
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> suffix == null || p.toString().endsWith(suffix))
                    .filter(p -> !p.getFileName().toString().matches("(SOURCE\\.md|SHA256SUMS|DICOMDIR)"))
                    .sorted().toList();
        }
    }
}
