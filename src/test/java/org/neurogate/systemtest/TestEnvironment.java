package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the built gateway, the shared real samples and the scratch space are. */
final class TestEnvironment {

    private TestEnvironment() {
    }

    static Path gatewayJar() {
        Path jar = Path.of(System.getProperty("ng.gateway.jar",
                "../../dicom-gateway/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("gateway not built: " + jar.toAbsolutePath());
        }
        return jar;
    }

    /** The checkout: where the launcher ({@code neurogate}) is. */
    static Path repositoryRoot() {
        Path root = Path.of(System.getProperty("ng.repository.root", "../..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("neurogate"))) {
            throw new IllegalStateException("no launcher in " + root);
        }
        return root;
    }

    /** A folder of ../shared/data; the test is skipped, saying so, when ../shared is absent. */
    static Path sharedData(String name) {
        Path dir = Path.of(System.getProperty("ng.shared.dir", "../../../shared")).resolve("data").resolve(name);
        assumeTrue(Files.isDirectory(dir), "shared sample " + dir.toAbsolutePath() + " is absent; skipping");
        return dir;
    }

    /** Every *.dcm below {@code dir}, sorted by path. */
    static List<Path> dicomFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    /**
     * The dcmjs check (OHIF's DICOM parser); {@code ./neurogate test} installs dcmjs beside it with npm.
     */
    static Path dcmjsCheck() {
        Path script = Path.of(System.getProperty("ng.dcmjs.dir", "dcmjs")).resolve("check.js");
        if (!Files.isDirectory(script.resolveSibling("node_modules").resolve("dcmjs"))) {
            throw new IllegalStateException("dcmjs is not installed: run npm ci in " + script.getParent().toAbsolutePath());
        }
        return script.toAbsolutePath();
    }

    static Path workDir(String name) throws IOException {
        Path base = Path.of(System.getProperty("ng.work.dir", "target/system-test-work"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base.toAbsolutePath(), name + "-");
    }

    /** Spool files under {@code <data>/spool/}, in every receiver's folder (see SpoolFolders). */
    static long spoolFiles(Path dataDir) throws IOException {
        try (var files = Files.walk(dataDir.resolve("spool"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
