package org.neurogate.gateway.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The last check before an export is released: every file is searched for every identifying value of
 * the cohort's patients (names, IDs, birth dates, accession numbers, institutions, descriptions,
 * original UIDs), in either case, as Latin-1, UTF-8 and UTF-16; gzip files and Parquet tables are
 * searched decoded too, all in one pass over each file's bytes. A hit fails the export. Values shorter
 * than five characters, descriptors shorter than twelve, given names alone and family names alone
 * shorter than six are not searched (they would match anything); dates and UIDs match only where no
 * digit or dot borders them.
 */
final class PhiScan {

    /** An identifying value found in a file: the file and what the value was (never the value). */
    record Hit(String file, String what) {
    }

    /**
     * One encoding of one value, upper case. Dates and UIDs ({@code numeric}) must not be part of a longer
     * number; a family name alone ({@code word}) must not be part of a longer word.
     */
    private record Needle(byte[] bytes, String what, boolean numeric, boolean word) {
    }

    /** A family name alone is searched from this many letters: "White" or "Young" would match the report's own words. */
    static final int FAMILY_NAME_MIN_LENGTH = 6;

    /** Every needle begins with this many bytes: the search looks each position's prefix up in a hash set. */
    private static final int PREFIX = 5;
    private static final long PREFIX_MASK = (1L << (8 * PREFIX)) - 1;

    /** Descriptors (study, series, protocol names) are searched from this length: shorter ones are common words. */
    static final int DESCRIPTOR_MIN_LENGTH = 12;
    private static final java.util.Set<String> DESCRIPTORS = java.util.Set.of("StudyDescription", "SeriesDescription",
            "ProtocolName", "ImageComments", "PatientComments", "InstitutionalDepartmentName");

    private final List<Needle> needles = new ArrayList<>();
    private final java.util.Set<String> forms = new java.util.HashSet<>();

    /**
     * Adds a value to search for; {@code what} names it in a hit (an attribute keyword, never the value).
     * A descriptor shorter than {@link #DESCRIPTOR_MIN_LENGTH} ("Brain MRI", "FLAIR") is not searched:
     * it would match NeuroGate's own vocabulary rather than a patient.
     */
    void add(String what, String value) {
        if (value == null || (DESCRIPTORS.contains(what) && value.strip().length() < DESCRIPTOR_MIN_LENGTH)) {
            return;
        }
        String v = value.strip();
        Map<String, Boolean> candidates = new java.util.LinkedHashMap<>();
        candidates.put(v, false);
        if (v.contains("^")) {
            // A person name: as stored, as written (family given, given family), and the family name alone.
            String[] parts = v.split("\\^");
            String family = parts[0].strip();
            String given = parts.length > 1 ? parts[1].strip() : "";
            candidates.put(v.replace('^', ' ').strip(), false);
            if (!given.isEmpty()) {
                candidates.put(given + " " + family, false);
            }
            if (family.length() >= FAMILY_NAME_MIN_LENGTH) {
                candidates.put(family, true);
            }
        }
        for (Map.Entry<String, Boolean> candidate : candidates.entrySet()) {
            String form = candidate.getKey().toUpperCase(Locale.ROOT);
            if (form.length() >= PREFIX && forms.add(form)) {
                boolean numeric = form.chars().allMatch(c -> Character.isDigit(c) || c == '.');
                boolean word = candidate.getValue();
                java.util.Set<String> encoded = new java.util.HashSet<>();
                for (java.nio.charset.Charset cs : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_8,
                        StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                    if (cs.newEncoder().canEncode(form)) {
                        byte[] bytes = form.getBytes(cs);
                        if (encoded.add(java.util.HexFormat.of().formatHex(bytes))) {
                            needles.add(new Needle(bytes, what, numeric, word));
                        }
                    }
                }
            }
        }
    }

    int size() {
        return forms.size();
    }

    List<Hit> scan(Path root) throws IOException {
        Map<Long, List<Needle>> byPrefix = new java.util.HashMap<>();
        for (Needle n : needles) {
            byPrefix.computeIfAbsent(prefix(n.bytes(), 0), k -> new ArrayList<>()).add(n);
        }
        LongSet prefixes = new LongSet(byPrefix.keySet());
        List<Hit> hits = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString();
            java.util.Set<String> found = new java.util.TreeSet<>();
            search(Files.readAllBytes(file), prefixes, byPrefix, found);
            if (name.endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    search(in.readAllBytes(), prefixes, byPrefix, found);
                }
            }
            if (name.endsWith(".parquet")) {
                search(parquetText(file).getBytes(StandardCharsets.UTF_8), prefixes, byPrefix, found);
            }
            found.forEach(what -> hits.add(new Hit(name, what)));
        }
        return hits;
    }

    /** One pass over the bytes, ASCII and Latin-1 letters folded to upper case. */
    private static void search(byte[] data, LongSet prefixes, Map<Long, List<Needle>> byPrefix, java.util.Set<String> found) {
        long key = 0;
        for (int i = 0; i < data.length; i++) {
            key = ((key << 8) | fold(data[i])) & PREFIX_MASK;
            if (i < PREFIX - 1 || !prefixes.contains(key)) {
                continue;
            }
            int start = i - PREFIX + 1;
            for (Needle n : byPrefix.get(key)) {
                if (matches(data, start, n.bytes()) && (!n.numeric() || bounded(data, start, n.bytes().length))
                        && (!n.word() || wholeWord(data, start, n.bytes().length))) {
                    found.add(n.what());
                }
            }
        }
    }

    private static int fold(byte b) {
        int c = b & 0xFF;
        return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ? c - 0x20 : c;
    }

    private static long prefix(byte[] bytes, int from) {
        long key = 0;
        for (int i = from; i < from + PREFIX; i++) {
            key = (key << 8) | fold(bytes[i]);
        }
        return key;
    }

    private static boolean matches(byte[] data, int start, byte[] needle) {
        if (start + needle.length > data.length) {
            return false;
        }
        for (int j = PREFIX; j < needle.length; j++) {
            if (fold(data[start + j]) != (needle[j] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** A date or a UID is only itself where it is not part of a longer number or UID. */
    private static boolean bounded(byte[] data, int start, int length) {
        return (start == 0 || !numericByte(data[start - 1])) && (start + length >= data.length
                || !numericByte(data[start + length]));
    }

    private static boolean wholeWord(byte[] data, int start, int length) {
        return (start == 0 || !letter(data[start - 1])) && (start + length >= data.length || !letter(data[start + length]));
    }

    private static boolean letter(byte b) {
        int c = fold(b);
        return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE);
    }

    private static boolean numericByte(byte b) {
        return (b >= '0' && b <= '9') || b == '.';
    }

    /** An open-addressing set of longs: the per-byte lookup must not box. */
    private static final class LongSet {
        private final long[] table;
        private final boolean[] used;
        private final int mask;

        LongSet(java.util.Collection<Long> values) {
            int size = Integer.highestOneBit(Math.max(16, values.size() * 4) - 1) << 1;
            table = new long[size];
            used = new boolean[size];
            mask = size - 1;
            for (long v : values) {
                int i = slot(v);
                while (used[i] && table[i] != v) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                table[i] = v;
            }
        }

        boolean contains(long v) {
            for (int i = slot(v); used[i]; i = (i + 1) & mask) {
                if (table[i] == v) {
                    return true;
                }
            }
            return false;
        }

        private int slot(long v) {
            long h = v * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }

    /** Every value of a Parquet file as text, one per line. */
    private static String parquetText(Path file) throws IOException {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = duck.prepareStatement("SELECT * FROM read_parquet(?)")) {
            duck.createStatement().execute("SET autoload_known_extensions = false");
            ps.setString(1, file.toAbsolutePath().toString());
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        out.append(rs.getString(i)).append('\n');
                    }
                }
            }
            return out.toString().toUpperCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IOException("reading " + file.getFileName() + " back failed: " + e.getMessage(), e);
        }
    }
}
