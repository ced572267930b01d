package org.neurogate.persistence;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The embedded cluster's two passwords: the superuser's, used only to bootstrap (roles, schema owner),
 * and the application role's, which every NeuroGate process on this data directory logs in with. They
 * live beside the cluster in a file only our user can read; anyone who can read it could read the
 * patients anyway.
 */
record ClusterCredentials(String superuserPassword, String applicationPassword) {

    static final String SUPERUSER = "postgres";
    static final String APPLICATION_ROLE = "neurogate";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code <cluster>.credentials}, next to the cluster directory (initdb wants that directory empty). */
    static Path fileFor(Path clusterDirectory) {
        return clusterDirectory.resolveSibling(clusterDirectory.getFileName() + ".credentials");
    }

    static ClusterCredentials generate() {
        return new ClusterCredentials(randomPassword(), randomPassword());
    }

    static boolean exist(Path clusterDirectory) {
        return Files.isRegularFile(fileFor(clusterDirectory));
    }

    static ClusterCredentials read(Path clusterDirectory) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(fileFor(clusterDirectory), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String superuser = p.getProperty("superuser.password");
        String application = p.getProperty("application.password");
        if (superuser == null || application == null) {
            throw new IOException(fileFor(clusterDirectory) + " lacks superuser.password or application.password");
        }
        return new ClusterCredentials(superuser, application);
    }

    /** Written whole (temporary file, then rename), mode 0600 from its creation. */
    void write(Path clusterDirectory) throws IOException {
        Properties p = new Properties();
        p.setProperty("superuser.password", superuserPassword);
        p.setProperty("application.password", applicationPassword);
        StringWriter text = new StringWriter();
        p.store(text, "NeuroGate embedded PostgreSQL logins; keep this file private (mode 0600)");
        Path file = fileFor(clusterDirectory);
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        writePrivately(partial, text.toString());
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A file with mode 0600 from the moment it exists: never readable by others, not even briefly. */
    static void writePrivately(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(text);
        }
    }

    /** 128 random bits in hex: safe as an SQL literal and in a properties file without escaping. */
    private static String randomPassword() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
