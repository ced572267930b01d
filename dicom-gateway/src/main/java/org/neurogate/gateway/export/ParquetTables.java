package org.neurogate.gateway.export;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parquet copies of the export's CSV tables, written by DuckDB (one dependency, and the tool many
 * researchers load them with). DuckDB reads each CSV with the declared column types, so the Parquet
 * file is typed (DOUBLE, DATE, BOOLEAN) and holds exactly the CSV's rows.
 */
final class ParquetTables {

    private ParquetTables() {
    }

    static void write(Path csv, List<ResearchTables.Column> columns, Path parquet) throws SQLException {
        String types = columns.stream().map(c -> quote(c.name()) + ": " + quote(c.type().name()))
                .collect(Collectors.joining(", ", "{", "}"));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            // Nothing may be fetched at run time: DuckDB's Parquet and CSV readers are built in.
            st.execute("SET autoinstall_known_extensions = false");
            st.execute("SET autoload_known_extensions = false");
            st.execute("SET threads = 2");
            st.execute("COPY (SELECT * FROM read_csv(" + quote(csv.toAbsolutePath().toString())
                    + ", header = true, delim = ',', quote = '\"', escape = '\"', nullstr = '', auto_detect = false,"
                    + " dateformat = '%Y-%m-%d', columns = " + types + ")) TO "
                    + quote(parquet.toAbsolutePath().toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
