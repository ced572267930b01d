package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of every acknowledged instance and of series assembly.
 *
 * <p>The ingest path uses single-statement upserts so that parallel associations of the same study
 * neither deadlock nor create duplicate rows: {@code ON CONFLICT DO NOTHING} waits for a concurrent
 * inserter to commit and then sees its row.
 */
@ApplicationScoped
public class InstanceCatalog {

    private final EntityManager em;
    private final DataSource dataSource;

    @Inject
    public InstanceCatalog(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** The step that makes the instance's file durable in its final place; runs inside the recording transaction. */
    @FunctionalInterface
    public interface FilePlacement {
        void place() throws IOException;
    }

    /** What recording an instance came to; {@code differing} names the attributes of a conflict. */
    public record Recorded(RecordOutcome outcome, java.util.List<String> differing) {
        static Recorded of(RecordOutcome outcome) {
            return new Recorded(outcome, java.util.List.of());
        }
    }

    /**
     * Records an instance in one database transaction, so that a C-STORE success is honest and nothing
     * is filed under the wrong patient:
     * <ol>
     * <li>a transaction-scoped advisory lock on the SOP Instance UID serialises every store of that UID,
     *     across associations and across processes on one database;</li>
     * <li>a known SOP Instance UID in the same series is a duplicate (nothing happens), in another series
     *     or study a conflict;</li>
     * <li>the series, its study and their patient are created if new, and the stored identity is read
     *     back and compared with the instance's (after the insert, so a study created at the same moment
     *     by another association is seen);</li>
     * <li>the row is inserted, then {@code placement} puts the file in place durably, then the commit.</li>
     * </ol>
     * A conflict rolls everything back; the caller refuses or quarantines the instance.
     *
     * <p>This is plain JDBC on a pooled connection rather than a JTA transaction: it is the hot path of
     * ingest, and one local transaction needs none of the transaction manager's machinery.
     *
     * @throws IOException                 when {@code placement} fails; nothing is recorded
     * @throws CatalogUnavailableException when the database fails; nothing is recorded
     */
    public Recorded record(ReceivedInstance instance, FilePlacement placement) throws IOException {
        return inTransaction("recording instance", c -> recordLocked(c, instance, placement),
                recorded -> recorded.outcome() == RecordOutcome.NEW);
    }

    /** The file steps of a batch: each instance's file put in place, then what must be durable before the commit. */
    public interface BatchPlacement {
        /** Puts the file of {@code instances.get(index)} in place; its directory need not be synced yet. */
        void place(int index) throws IOException;

        /** Runs after every file is in place and before the commit (syncs the directories that gained a file). */
        void beforeCommit() throws IOException;
    }

    /**
     * Records several instances in one transaction, each with the outcome {@link #record} would give
     * it if they were recorded one after another in SOP Instance UID order, so that concurrent
     * C-STOREs share one commit (group commit). The result at index i is instance i's. A duplicate or a
     * conflict leaves nothing of that instance (a series it created is rolled back to a savepoint) and
     * does not affect the others.
     *
     * <p>The work is set-based, so a batch costs a handful of statements rather than several per
     * instance: the advisory locks of every SOP Instance UID, taken in UID order (two receivers' batches
     * cannot deadlock on them); the stored places of those UIDs; the stored context of their series; one
     * insert of every new instance with its series' counters; then each new instance's file is placed.
     *
     * @throws IOException                 when a placement fails; nothing of the batch is recorded
     * @throws CatalogUnavailableException when the database fails; nothing of the batch is recorded
     */
    public List<Recorded> recordAll(List<ReceivedInstance> instances, BatchPlacement placement) throws IOException {
        return inTransaction("recording " + instances.size() + " instances",
                c -> recordBatch(c, instances, placement), results -> true);
    }

    private static List<Recorded> recordBatch(Connection c, List<ReceivedInstance> instances, BatchPlacement placement)
            throws SQLException, IOException {
        Integer[] order = new Integer[instances.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparing(i -> instances.get(i).sopInstanceUid()));
        String[] uids = instances.stream().map(ReceivedInstance::sopInstanceUid).distinct().sorted()
                .toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended(u, 0)) FROM unnest(?::text[]) AS u")) {
            // unnest yields the sorted array in order, so the locks are taken in UID order.
            ps.setArray(1, c.createArrayOf("text", uids));
            ps.execute();
        }
        java.util.Map<String, String[]> places = storedPlaces(c, uids);
        java.util.Map<String, StoredContext> contexts = seriesContexts(c,
                instances.stream().map(i -> i.series().seriesInstanceUid()).distinct().toArray(String[]::new));
        Recorded[] results = new Recorded[instances.size()];
        List<Integer> fresh = new ArrayList<>();
        for (int i : order) {
            ReceivedInstance instance = instances.get(i);
            String[] known = places.get(instance.sopInstanceUid());
            if (known != null) {
                boolean same = known[0].equals(instance.series().seriesInstanceUid())
                        && known[1].equals(instance.study().studyInstanceUid());
                results[i] = same ? Recorded.of(RecordOutcome.DUPLICATE)
                        : new Recorded(RecordOutcome.SOP_INSTANCE_REUSED, List.of("SOPInstanceUID"));
                continue;
            }
            String seriesUid = instance.series().seriesInstanceUid();
            StoredContext stored = contexts.get(seriesUid);
            java.sql.Savepoint beforeNewSeries = null;
            if (stored == null) {
                beforeNewSeries = c.setSavepoint();
                createSeries(c, instance);
                stored = seriesContext(c, seriesUid)
                        .orElseThrow(() -> new SQLException("series " + seriesUid + " not found after insert"));
            }
            Recorded conflict = conflict(stored, instance);
            if (conflict != null) {
                if (beforeNewSeries != null) {
                    c.rollback(beforeNewSeries);
                }
                results[i] = conflict;
                continue;
            }
            contexts.put(seriesUid, stored);
            places.put(instance.sopInstanceUid(), new String[] {seriesUid, instance.study().studyInstanceUid()});
            fresh.add(i);
        }
        java.util.Set<String> inserted = insertInstances(c, fresh.stream().map(instances::get).toList());
        for (int i : fresh) {
            if (inserted.contains(instances.get(i).sopInstanceUid())) {
                placement.place(i);
                results[i] = Recorded.of(RecordOutcome.NEW);
            } else {
                results[i] = Recorded.of(RecordOutcome.DUPLICATE);
            }
        }
        placement.beforeCommit();
        return java.util.Arrays.asList(results);
    }

    /** Work inside one local transaction. */
    @FunctionalInterface
    private interface TransactionWork<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection and commits when {@code commit}
     * accepts its result (rolls back otherwise, and on any failure).
     */
    private <T> T inTransaction(String what, TransactionWork<T> work, java.util.function.Predicate<T> commit)
            throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                if (commit.test(result)) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new CatalogUnavailableException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static Recorded recordLocked(Connection c, ReceivedInstance instance, FilePlacement placement)
            throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, instance.sopInstanceUid());
            ps.execute();
        }
        Optional<String[]> known = storedPlace(c, instance.sopInstanceUid());
        if (known.isPresent()) {
            boolean same = known.get()[0].equals(instance.series().seriesInstanceUid())
                    && known.get()[1].equals(instance.study().studyInstanceUid());
            return same ? Recorded.of(RecordOutcome.DUPLICATE)
                    : new Recorded(RecordOutcome.SOP_INSTANCE_REUSED, List.of("SOPInstanceUID"));
        }
        Optional<StoredContext> stored = seriesContext(c, instance.series().seriesInstanceUid());
        java.sql.Savepoint beforeNewSeries = null;
        if (stored.isEmpty()) {
            // Into a known study the new series goes under that study's patient; the read-back below
            // compares it, and a conflict rolls the inserts back to here (the rest of a batch stays).
            beforeNewSeries = c.setSavepoint();
            createSeries(c, instance);
            stored = seriesContext(c, instance.series().seriesInstanceUid());
            if (stored.isEmpty()) {
                throw new SQLException("series " + instance.series().seriesInstanceUid() + " not found after insert");
            }
        }
        Recorded conflict = conflict(stored.get(), instance);
        if (conflict != null) {
            if (beforeNewSeries != null) {
                c.rollback(beforeNewSeries);
            }
            return conflict;
        }
        if (insertInstance(c, instance) == 0) {
            return Recorded.of(RecordOutcome.DUPLICATE);
        }
        placement.place();
        return Recorded.of(RecordOutcome.NEW);
    }

    /** The conflict of an instance with its series' stored study and patient, or null when there is none. */
    private static Recorded conflict(StoredContext stored, ReceivedInstance instance) {
        if (!stored.studyInstanceUid().equals(instance.study().studyInstanceUid())) {
            return new Recorded(RecordOutcome.SERIES_IN_OTHER_STUDY, List.of("StudyInstanceUID"));
        }
        List<String> differing = PatientIdentity.differences(stored.patient(), instance.patient());
        return differing.isEmpty() ? null : new Recorded(RecordOutcome.PATIENT_MISMATCH, differing);
    }

    /** The series and study each recorded SOP instance among {@code sopInstanceUids} is filed under. */
    private static java.util.Map<String, String[]> storedPlaces(Connection c, String[] sopInstanceUids)
            throws SQLException {
        java.util.Map<String, String[]> places = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.sop_instance_uid, se.series_instance_uid, st.study_instance_uid FROM instance i
                JOIN series se ON se.id = i.series_ref JOIN study st ON st.id = se.study_ref
                WHERE i.sop_instance_uid = ANY (?)""")) {
            ps.setArray(1, c.createArrayOf("text", sopInstanceUids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    places.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        return places;
    }

    /** The stored study and patient of each known series among {@code seriesInstanceUids}. */
    private static java.util.Map<String, StoredContext> seriesContexts(Connection c, String[] seriesInstanceUids)
            throws SQLException {
        java.util.Map<String, StoredContext> contexts = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT se.series_instance_uid, st.study_instance_uid, p.patient_id, p.issuer, p.patient_name,
                       p.birth_date, p.sex
                FROM series se JOIN study st ON st.id = se.study_ref JOIN patient p ON p.id = st.patient_ref
                WHERE se.series_instance_uid = ANY (?)""")) {
            ps.setArray(1, c.createArrayOf("text", seriesInstanceUids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    contexts.put(rs.getString(1), new StoredContext(rs.getString(2), new ReceivedInstance.PatientAttributes(
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))));
                }
            }
        }
        return contexts;
    }

    // The one-instance statements below are the set-based ones' twins, kept for the path every C-STORE
    // takes by default. Routing it through the array forms coincided with a slower one-association
    // ingest, though that run was too noisy to pin the cost on them alone.

    /** The series and study a recorded SOP instance is filed under. */
    private static Optional<String[]> storedPlace(Connection c, String sopInstanceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT se.series_instance_uid, st.study_instance_uid FROM instance i
                JOIN series se ON se.id = i.series_ref JOIN study st ON st.id = se.study_ref
                WHERE i.sop_instance_uid = ?""")) {
            ps.setString(1, sopInstanceUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
            }
        }
    }

    /** The study and patient that a stored series belongs to. */
    private record StoredContext(String studyInstanceUid, ReceivedInstance.PatientAttributes patient) {
    }

    private static Optional<StoredContext> seriesContext(Connection c, String seriesInstanceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT st.study_instance_uid, p.patient_id, p.issuer, p.patient_name, p.birth_date, p.sex
                FROM series se JOIN study st ON st.id = se.study_ref JOIN patient p ON p.id = st.patient_ref
                WHERE se.series_instance_uid = ?""")) {
            ps.setString(1, seriesInstanceUid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredContext(rs.getString(1), new ReceivedInstance.PatientAttributes(
                        rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))));
            }
        }
    }

    /** An instance that was not filed because it contradicts the store, as the admin API lists it. */
    public record IdentityConflict(long id, java.time.OffsetDateTime detectedAt, String kind, String action,
                                   String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid,
                                   List<String> differing, String receivedPatientId, String receivedIssuer,
                                   String receivedName, String receivedBirthDate, String storedPatientId,
                                   String storedName, String storedBirthDate, String callingAe,
                                   String quarantinePath) {
    }

    /**
     * Records a conflict in its own transaction. With {@code quarantine}, the file is first put in place
     * durably under the returned row's id ({@code quarantine.place(id)}), and the row names that path;
     * a failure of either leaves no row.
     */
    public long recordConflict(ReceivedInstance instance, Recorded conflict, boolean quarantined,
                               QuarantinePlacement quarantine) throws IOException {
        return inTransaction("recording a conflict", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO identity_conflict (kind, action, sop_instance_uid, series_instance_uid,
                        study_instance_uid, differing, stored_patient_ref, received_patient_id, received_issuer,
                        received_name, received_birth_date, calling_ae)
                    VALUES (?, ?, ?, ?, ?, ?, (SELECT p.id FROM study st JOIN patient p ON p.id = st.patient_ref
                                               WHERE st.study_instance_uid = ?), ?, ?, ?, ?, ?)
                    RETURNING id""")) {
                ReceivedInstance.PatientAttributes p = instance.patient();
                ps.setString(1, conflict.outcome().name());
                ps.setString(2, quarantined ? "QUARANTINED" : "REFUSED");
                ps.setString(3, instance.sopInstanceUid());
                ps.setString(4, instance.series().seriesInstanceUid());
                ps.setString(5, instance.study().studyInstanceUid());
                ps.setString(6, String.join(",", conflict.differing()));
                ps.setString(7, instance.study().studyInstanceUid());
                ps.setString(8, p.patientId());
                ps.setString(9, p.issuerOfPatientId());
                ps.setString(10, p.patientName());
                ps.setString(11, p.birthDate());
                ps.setString(12, instance.callingAe());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (quarantined) {
                String path = quarantine.place(id);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE identity_conflict SET quarantine_path = ? WHERE id = ?")) {
                    ps.setString(1, path);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
            }
            return id;
        }, id -> true);
    }

    /** Puts a quarantined instance's file in place durably; answers its path relative to the data directory. */
    @FunctionalInterface
    public interface QuarantinePlacement {
        String place(long conflictId) throws IOException;
    }

    /** The most recent conflicts, newest first. */
    public List<IdentityConflict> conflicts(int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT ic.id, ic.detected_at, ic.kind, ic.action, ic.sop_instance_uid, ic.series_instance_uid,
                            ic.study_instance_uid, ic.differing, ic.received_patient_id, ic.received_issuer,
                            ic.received_name, ic.received_birth_date, p.patient_id, p.patient_name, p.birth_date,
                            ic.calling_ae, ic.quarantine_path
                     FROM identity_conflict ic LEFT JOIN patient p ON p.id = ic.stored_patient_ref
                     ORDER BY ic.id DESC LIMIT ?""")) {
            ps.setInt(1, limit);
            List<IdentityConflict> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new IdentityConflict(rs.getLong(1), rs.getObject(2, java.time.OffsetDateTime.class),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            List.of(rs.getString(8).split(",")), rs.getString(9), rs.getString(10), rs.getString(11),
                            rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                            rs.getString(17)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("reading conflicts failed: " + e.getMessage(), e);
        }
    }

    /**
     * Of the given storage paths (relative to the data directory), those that no instance row names:
     * the orphan check at start reads the store in batches.
     */
    public java.util.Set<String> unrecordedPaths(java.util.Collection<String> storagePaths) {
        java.util.Set<String> unrecorded = new java.util.HashSet<>(storagePaths);
        if (storagePaths.isEmpty()) {
            return unrecorded;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT storage_path FROM instance WHERE sop_instance_uid = ANY (?)")) {
            // Files are named <SOP Instance UID>.dcm: the unique index finds their rows.
            ps.setArray(1, c.createArrayOf("text", storagePaths.stream()
                    .map(path -> path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.dcm$", "")).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unrecorded.remove(rs.getString(1));
                }
            }
            return unrecorded;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("orphan check failed: " + e.getMessage(), e);
        }
    }

    /** Inserts the instance under its (existing) series and restarts the series' stable timer; 0 when nothing was inserted. */
    private static int insertInstance(Connection c, ReceivedInstance instance) throws SQLException {
        // A late instance re-opens a completed series: its stable timer starts again.
        try (PreparedStatement ps = c.prepareStatement("""
                WITH inserted AS (
                    INSERT INTO instance (sop_instance_uid, sop_class_uid, series_ref, instance_number,
                                          transfer_syntax_uid, storage_path, size_bytes, calling_ae)
                    SELECT ?, ?, s.id, ?, ?, ?, ?, ? FROM series s WHERE s.series_instance_uid = ?
                    ON CONFLICT (sop_instance_uid) DO NOTHING
                    RETURNING series_ref)
                UPDATE series SET instance_count = instance_count + 1, last_received_at = now(),
                                  state = 'RECEIVING', completed_at = NULL
                WHERE id IN (SELECT series_ref FROM inserted)""")) {
            ps.setString(1, instance.sopInstanceUid());
            ps.setString(2, instance.sopClassUid());
            ps.setObject(3, instance.instanceNumber(), Types.INTEGER);
            ps.setString(4, instance.transferSyntaxUid());
            ps.setString(5, instance.storagePath());
            ps.setLong(6, instance.sizeBytes());
            ps.setString(7, instance.callingAe());
            ps.setString(8, instance.series().seriesInstanceUid());
            return ps.executeUpdate();
        }
    }

    /**
     * Inserts the instances under their (existing) series in one statement and restarts each series'
     * stable timer (a late instance re-opens a completed series); answers the SOP Instance UIDs that
     * were inserted.
     */
    private static java.util.Set<String> insertInstances(Connection c, List<ReceivedInstance> instances)
            throws SQLException {
        java.util.Set<String> inserted = new java.util.HashSet<>();
        if (instances.isEmpty()) {
            return inserted;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                WITH received AS (
                    SELECT * FROM unnest(?::text[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::bigint[],
                                         ?::text[], ?::text[])
                        AS r(sop_instance_uid, sop_class_uid, instance_number, transfer_syntax_uid, storage_path,
                             size_bytes, calling_ae, series_instance_uid)),
                inserted AS (
                    INSERT INTO instance (sop_instance_uid, sop_class_uid, series_ref, instance_number,
                                          transfer_syntax_uid, storage_path, size_bytes, calling_ae)
                    SELECT r.sop_instance_uid, r.sop_class_uid, s.id, r.instance_number, r.transfer_syntax_uid,
                           r.storage_path, r.size_bytes, r.calling_ae
                    FROM received r JOIN series s ON s.series_instance_uid = r.series_instance_uid
                    ON CONFLICT (sop_instance_uid) DO NOTHING
                    RETURNING sop_instance_uid, series_ref),
                counted AS (
                    UPDATE series SET instance_count = instance_count + n.added, last_received_at = now(),
                                      state = 'RECEIVING', completed_at = NULL
                    FROM (SELECT series_ref, count(*) AS added FROM inserted GROUP BY series_ref) n
                    WHERE series.id = n.series_ref)
                SELECT sop_instance_uid FROM inserted""")) {
            ps.setArray(1, c.createArrayOf("text", instances.stream().map(ReceivedInstance::sopInstanceUid).toArray()));
            ps.setArray(2, c.createArrayOf("text", instances.stream().map(ReceivedInstance::sopClassUid).toArray()));
            ps.setArray(3, c.createArrayOf("integer", instances.stream().map(ReceivedInstance::instanceNumber).toArray()));
            ps.setArray(4, c.createArrayOf("text", instances.stream().map(ReceivedInstance::transferSyntaxUid).toArray()));
            ps.setArray(5, c.createArrayOf("text", instances.stream().map(ReceivedInstance::storagePath).toArray()));
            ps.setArray(6, c.createArrayOf("bigint", instances.stream().map(ReceivedInstance::sizeBytes).toArray()));
            ps.setArray(7, c.createArrayOf("text", instances.stream().map(ReceivedInstance::callingAe).toArray()));
            ps.setArray(8, c.createArrayOf("text", instances.stream().map(i -> i.series().seriesInstanceUid()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /**
     * Marks every series that received nothing for {@code stableSeconds} as COMPLETE and queues an
     * analysis job for its study when it is MR (one waiting job per study), in one statement: the timer is the {@code last_received_at} column,
     * so a restart loses nothing. A concurrent instance insert re-checks the predicate under the row
     * lock (READ COMMITTED), so a series that just got an instance is not completed.
     */
    @Transactional
    public List<CompletedSeries> completeStableSeries(int stableSeconds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH done AS (
                         UPDATE series SET state = 'COMPLETE', completed_at = now()
                         WHERE state = 'RECEIVING' AND last_received_at <= now() - make_interval(secs => ?)
                         RETURNING id, study_ref, modality, series_instance_uid, instance_count),
                     jobs AS (
                         INSERT INTO analysis_job (study_ref, state)
                         SELECT DISTINCT study_ref, 'QUEUED' FROM done WHERE modality = 'MR'
                         ON CONFLICT (study_ref) WHERE state = 'QUEUED' DO NOTHING
                         RETURNING study_ref)
                     SELECT d.series_instance_uid, d.modality, d.instance_count,
                            d.modality = 'MR' AND (j.study_ref IS NOT NULL
                                OR EXISTS (SELECT 1 FROM analysis_job q WHERE q.study_ref = d.study_ref AND q.state = 'QUEUED'))
                     FROM done d LEFT JOIN jobs j ON j.study_ref = d.study_ref""")) {
            ps.setDouble(1, stableSeconds);
            List<CompletedSeries> completed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    completed.add(new CompletedSeries(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)));
                }
            }
            return completed;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("series completion failed: " + e.getMessage(), e);
        }
    }

    @Transactional
    public long queuedJobCount() {
        return AnalysisJobEntity.count("state", AnalysisJobState.QUEUED);
    }

    @Transactional
    public List<StudySummary> studies() {
        List<StudyEntity> studies = em.createQuery(
                "SELECT DISTINCT s FROM StudyEntity s LEFT JOIN FETCH s.series ORDER BY s.id", StudyEntity.class)
                .getResultList();
        return studies.stream().map(InstanceCatalog::summarise).toList();
    }

    @Transactional
    public Optional<StudySummary> study(String studyInstanceUid) {
        return em.createQuery(
                "SELECT DISTINCT s FROM StudyEntity s LEFT JOIN FETCH s.series WHERE s.studyInstanceUid = ?1",
                StudyEntity.class)
                .setParameter(1, studyInstanceUid)
                .getResultStream().findFirst().map(InstanceCatalog::summarise);
    }

    private static StudySummary summarise(StudyEntity study) {
        return new StudySummary(study.studyInstanceUid, study.studyDate, study.series.stream()
                .map(s -> new StudySummary.SeriesSummary(s.seriesInstanceUid, s.modality, s.seriesDescription,
                        s.instanceCount, s.state))
                .toList());
    }

    private static void createSeries(Connection c, ReceivedInstance in) throws SQLException {
        ReceivedInstance.PatientAttributes p = in.patient();
        ReceivedInstance.StudyAttributes st = in.study();
        ReceivedInstance.SeriesAttributes se = in.series();
        update(c, """
                INSERT INTO patient (patient_key, patient_id, issuer, patient_name, birth_date, sex)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (patient_key) DO NOTHING""",
                p.patientKey(), p.patientId(), p.issuerOfPatientId(), p.patientName(), p.birthDate(), p.sex());
        update(c, """
                INSERT INTO study (study_instance_uid, patient_ref, study_date, study_time, accession_number,
                                   study_description)
                SELECT ?, id, ?, ?, ?, ? FROM patient WHERE patient_key = ?
                ON CONFLICT (study_instance_uid) DO NOTHING""",
                st.studyInstanceUid(), st.studyDate(), st.studyTime(), st.accessionNumber(),
                st.studyDescription(), p.patientKey());
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO series (series_instance_uid, study_ref, modality, series_number, series_description,
                                    sending_ae, state)
                SELECT ?, id, ?, ?, ?, ?, 'RECEIVING' FROM study WHERE study_instance_uid = ?
                ON CONFLICT (series_instance_uid) DO NOTHING""")) {
            ps.setString(1, se.seriesInstanceUid());
            ps.setString(2, se.modality());
            ps.setObject(3, se.seriesNumber(), Types.INTEGER);
            ps.setString(4, se.seriesDescription());
            ps.setString(5, in.callingAe());
            ps.setString(6, st.studyInstanceUid());
            ps.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
