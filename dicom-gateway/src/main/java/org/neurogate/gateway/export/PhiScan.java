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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The last check before an export is released: every file is searched for every identifying value of
 * the cohort's patients (names, IDs, birth dates, accession numbers, institutions, descriptions,
 * original UIDs), in ASCII of either case and in UTF-16; gzip files and Parquet tables are searched
 * decoded too. A hit fails the export. Values shorter than five characters are not searched (they
 * would match anything); dates and UIDs match only where no digit or dot borders them.
 */
final class PhiScan {

    /** An identifying value found in a file: the file and what the value was (never the value). */
    record Hit(String file, String what) {
    }

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Adds a value to search for; {@code what} names it in a hit (an attribute keyword, never the value). */
    void add(String what, String value) {
        if (value == null) {
            return;
        }
        String v = value.strip();
        for (String form : v.contains("^") ? List.of(v, v.replace('^', ' ').strip()) : List.of(v)) {
            if (form.length() >= 5) {
                values.putIfAbsent(form.toUpperCase(Locale.ROOT), what);
            }
        }
        if (v.contains("^")) {
            for (String component : v.split("\\^")) {
                if (component.strip().length() >= 5) {
                    values.putIfAbsent(component.strip().toUpperCase(Locale.ROOT), what);
                }
            }
        }
    }

    int size() {
        return values.size();
    }

    List<Hit> scan(Path root) throws IOException {
        List<Hit> hits = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString();
            List<String> texts = new ArrayList<>();
            byte[] raw = Files.readAllBytes(file);
            texts.add(new String(raw, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT));
            texts.add(new String(raw, StandardCharsets.UTF_16LE).toUpperCase(Locale.ROOT));
            texts.add(new String(raw, StandardCharsets.UTF_16BE).toUpperCase(Locale.ROOT));
            if (name.endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    texts.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT));
                }
            }
            if (name.endsWith(".parquet")) {
                texts.add(parquetText(file));
            }
            for (Map.Entry<String, String> v : values.entrySet()) {
                if (texts.stream().anyMatch(t -> contains(t, v.getKey()))) {
                    hits.add(new Hit(name, v.getValue()));
                }
            }
        }
        return hits;
    }

    private static boolean contains(String text, String value) {
        // A date or a UID is only itself where it is not part of a longer number or UID.
        boolean numeric = value.chars().allMatch(c -> Character.isDigit(c) || c == '.');
        for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
            if (!numeric) {
                return true;
            }
            boolean before = at > 0 && numericChar(text.charAt(at - 1));
            int end = at + value.length();
            boolean after = end < text.length() && numericChar(text.charAt(end));
            if (!before && !after) {
                return true;
            }
        }
        return false;
    }

    private static boolean numericChar(char c) {
        return Character.isDigit(c) || c == '.';
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
