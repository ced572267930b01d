package org.neurogate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Group commit's set-based batch against the one-at-a-time path it must agree with, on a real
 * (embedded) PostgreSQL with the product's migrations: the same outcomes, rows and placed files for a
 * batch full of duplicates and identity conflicts.
 */
class InstanceCatalogBatchTest {

    @TempDir
    static Path dir;
    private static EmbeddedDatabase database;
    private static PGSimpleDataSource dataSource;
    private static InstanceCatalog catalog;

    @BeforeAll
    static void startDatabase() throws Exception {
        database = EmbeddedDatabase.start(dir.resolve("pgdata"), 0, EmbeddedDatabase.defaultBinariesDirectory());
        EmbeddedDatabase.Login login = database.login();
        Flyway.configure().dataSource(login.jdbcUrl(), login.username(), login.password())
                .locations("classpath:db/migration").load().migrate();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(login.jdbcUrl());
        dataSource.setUser(login.username());
        dataSource.setPassword(login.password());
        catalog = new InstanceCatalog(null, dataSource);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @BeforeEach
    void emptyStore() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE instance, series, study, patient CASCADE");
        }
    }

    private static final ReceivedInstance.PatientAttributes SMITH =
            new ReceivedInstance.PatientAttributes("P1", null, "Smith^Anna", "19600101", "F");
    private static final ReceivedInstance.PatientAttributes JONES =
            new ReceivedInstance.PatientAttributes("P2", null, "Jones^Carl", "19451231", "M");

    private static ReceivedInstance instance(String sop, String series, String study,
                                             ReceivedInstance.PatientAttributes patient) {
        return new ReceivedInstance(patient,
                new ReceivedInstance.StudyAttributes(study, "20261201", "120000", "ACC1", "MR brain"),
                new ReceivedInstance.SeriesAttributes(series, "MR", 1, "T1"), sop, "1.2.840.10008.5.1.4.1.1.4",
                sop.endsWith("3") ? null : 7, "1.2.840.10008.1.2.1", "instances/" + study + "/" + series + "/" + sop,
                1000, "SCANNER");
    }

    /** Everything a batch can meet: duplicates inside it and of the store, every kind of conflict, new series. */
    private static List<ReceivedInstance> mixedBatch() {
        return List.of(
                instance("1.9", "2.1", "3.1", SMITH), // already stored: a duplicate
                instance("1.1", "2.1", "3.1", SMITH),
                instance("1.2", "2.1", "3.1", SMITH),
                instance("1.3", "2.1", "3.1", SMITH),
                instance("1.2", "2.1", "3.1", SMITH), // the same instance twice in one batch
                instance("1.1", "2.3", "3.1", SMITH), // its UID reused in another series
                instance("1.5", "2.2", "3.1", JONES), // another patient in a known study: its new series rolls back
                instance("1.6", "2.2", "3.1", SMITH), // that series, now under the right patient
                instance("1.7", "2.1", "3.2", SMITH), // a known series under another study
                instance("1.8", "2.4", "3.3", JONES)); // a new study of another patient
    }

    @Test
    void aBatchHasTheOutcomesAndRowsOfRecordingEachInTurn() throws Exception {
        List<ReceivedInstance> batch = mixedBatch();
        catalog.record(batch.get(0), () -> { });
        List<Integer> placed = new ArrayList<>();
        int[] syncs = {0};
        List<InstanceCatalog.Recorded> together = catalog.recordAll(batch, new InstanceCatalog.BatchPlacement() {
            @Override
            public void place(int index) {
                placed.add(index);
            }

            @Override
            public void beforeCommit() {
                syncs[0]++;
            }
        });
        List<String> rowsTogether = rows();

        emptyStore();
        catalog.record(batch.get(0), () -> { });
        List<Integer> order = IntStream.range(0, batch.size()).boxed()
                .sorted(Comparator.comparing(i -> batch.get(i).sopInstanceUid())).toList();
        InstanceCatalog.Recorded[] inTurn = new InstanceCatalog.Recorded[batch.size()];
        List<Integer> placedInTurn = new ArrayList<>();
        for (int i : order) {
            inTurn[i] = catalog.record(batch.get(i), () -> placedInTurn.add(i));
        }

        assertEquals(List.of(inTurn), together);
        assertEquals(List.of(RecordOutcome.DUPLICATE, RecordOutcome.NEW, RecordOutcome.NEW, RecordOutcome.NEW,
                RecordOutcome.DUPLICATE, RecordOutcome.SOP_INSTANCE_REUSED, RecordOutcome.PATIENT_MISMATCH,
                RecordOutcome.NEW, RecordOutcome.SERIES_IN_OTHER_STUDY, RecordOutcome.NEW),
                together.stream().map(InstanceCatalog.Recorded::outcome).toList());
        assertEquals(rows(), rowsTogether);
        assertEquals(placedInTurn.stream().sorted().toList(), placed.stream().sorted().toList());
        assertEquals(List.of(1, 2, 3, 7, 9), placed.stream().sorted().toList());
        assertEquals(1, syncs[0]);
        assertEquals(List.of("2.1 3.1 Smith^Anna 4", "2.2 3.1 Smith^Anna 1", "2.4 3.3 Jones^Carl 1"), seriesRows());
    }

    @Test
    void aFailedPlacementRecordsNothingOfTheBatch() throws Exception {
        List<ReceivedInstance> batch = mixedBatch().subList(1, 4);
        assertThrows(java.io.IOException.class, () -> catalog.recordAll(batch, new InstanceCatalog.BatchPlacement() {
            @Override
            public void place(int index) throws java.io.IOException {
                if (index == 2) {
                    throw new java.io.IOException("disk full");
                }
            }

            @Override
            public void beforeCommit() {
            }
        }));
        assertEquals(List.of(), rows());
        assertEquals(List.of(), seriesRows());
    }

    private static List<String> rows() throws Exception {
        return query("""
                SELECT i.sop_instance_uid || ' ' || se.series_instance_uid || ' ' || st.study_instance_uid || ' '
                       || p.patient_name || ' ' || coalesce(i.instance_number::text, '-') || ' ' || i.storage_path
                FROM instance i JOIN series se ON se.id = i.series_ref JOIN study st ON st.id = se.study_ref
                JOIN patient p ON p.id = st.patient_ref ORDER BY 1""");
    }

    private static List<String> seriesRows() throws Exception {
        return query("""
                SELECT se.series_instance_uid || ' ' || st.study_instance_uid || ' ' || p.patient_name || ' '
                       || se.instance_count
                FROM series se JOIN study st ON st.id = se.study_ref JOIN patient p ON p.id = st.patient_ref
                ORDER BY 1""");
    }

    private static List<String> query(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
