package org.neurogate.reports.deid;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed, repeatable replacements of a research export: subject pseudonyms, a per-patient date
 * offset and remapped UIDs, all HMAC-SHA256 under the site secret. The same secret gives the same
 * values in every export, so follow-up scans link to the same subject and re-exports are identical;
 * without the secret none of them can be reversed or recomputed from a known patient ID.
 *
 * <p>Each use has its own domain prefix, so a pseudonym never equals a UID's or a date offset's hash.
 */
public final class Pseudonyms {

    /** Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not mistaken. */
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int PSEUDONYM_CHARS = 10;
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final byte[] secret;
    private final int maxShiftDays;

    /**
     * @param secret       at least 16 bytes
     * @param maxShiftDays dates move by 1 to this many days, earlier or later
     */
    public Pseudonyms(byte[] secret, int maxShiftDays) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the site secret needs at least 16 bytes");
        }
        if (maxShiftDays < 1 || maxShiftDays > 3650) {
            throw new IllegalArgumentException("the date shift must be 1 to 3650 days, was " + maxShiftDays);
        }
        this.secret = secret.clone();
        this.maxShiftDays = maxShiftDays;
    }

    /**
     * The site secret kept in {@code file} (mode 0600), made with 32 random bytes at first use. Never
     * logged, never exported.
     */
    public static byte[] siteSecret(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            // Processes starting together on one shared data directory must agree on one secret: each
            // writes its own candidate and links it into place, which fails where another was first
            // (a rename would silently replace it).
            Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + System.nanoTime() + ".tmp");
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, Base64.getEncoder().encodeToString(random));
            try {
                Files.createLink(file, temp);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // the other process's secret is the secret
            } finally {
                Files.delete(temp);
            }
        }
        return Base64.getDecoder().decode(Files.readString(file).strip());
    }

    /** A secret given in configuration: its UTF-8 bytes. */
    public static byte[] configuredSecret(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public int maxShiftDays() {
        return maxShiftDays;
    }

    /** The subject's code: "NG" and 10 base-32 characters (50 bits) of the keyed hash of PatientID + issuer. */
    public String subject(String patientId, String issuer) {
        byte[] h = hmac("subject", patientKey(patientId, issuer));
        StringBuilder code = new StringBuilder("NG");
        long bits = new BigInteger(1, Arrays.copyOf(h, 8)).longValue();
        for (int i = 0; i < PSEUDONYM_CHARS; i++) {
            code.append(BASE32[(int) ((bits >>> (59 - 5 * i)) & 31)]);
        }
        return code.toString();
    }

    /** Days every date of this patient moves by: never 0, within ±maxShiftDays. */
    public int dateShiftDays(String patientId, String issuer) {
        byte[] h = hmac("date-shift", patientKey(patientId, issuer));
        long n = new BigInteger(1, Arrays.copyOf(h, 8)).mod(BigInteger.valueOf(2L * maxShiftDays)).longValue();
        return (int) (n < maxShiftDays ? n - maxShiftDays : n - maxShiftDays + 1);
    }

    /** A DICOM DA (yyyymmdd) moved by {@code days}; anything that is not a date comes back empty. */
    public static String shiftDate(String da, int days) {
        LocalDate date = parseDate(da);
        return date == null ? "" : date.plusDays(days).format(DA);
    }

    /** yyyymmdd as a date, or null. */
    public static LocalDate parseDate(String da) {
        if (da == null || !da.strip().matches("\\d{8}")) {
            return null;
        }
        try {
            return LocalDate.parse(da.strip(), DA);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The UID that stands for {@code uid} in exports: "2.25." and 128 bits of its keyed hash, as
     * PS3.5 B.2 allows for UUID-derived UIDs (at most 44 characters). The same UID always maps to the
     * same replacement, so references between objects still resolve.
     */
    public String uid(String uid) {
        byte[] h = hmac("uid", uid.strip());
        return "2.25." + new BigInteger(1, Arrays.copyOf(h, 16));
    }

    private static String patientKey(String patientId, String issuer) {
        return (patientId == null ? "" : patientId.strip()) + "\u0000" + (issuer == null ? "" : issuer.strip());
    }

    private byte[] hmac(String domain, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((domain + "\u0000").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
