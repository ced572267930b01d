package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The analysis job queue and what a finished job leaves behind: findings, report objects and their
 * delivery rows, all written in the transaction that marks the job DONE.
 *
 * <p>Workers claim with {@code FOR UPDATE SKIP LOCKED}, so any number of them (threads or processes)
 * share the queue without taking the same job; a claim is a lease, renewed while the job runs, and a
 * job whose lease ran out (its worker crashed) is claimed again.
 */
@ApplicationScoped
public class AnalysisQueue {

    /** Claims of one job before it is given up. */
    static final int MAX_ATTEMPTS = 3;

    /** The worklist's flags of a finished job, from its finding rows (the same statement as migration V3). */
    private static final String WORKLIST_FLAGS = """
            UPDATE analysis_job j SET
                infarct_ml = (SELECT f.value FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'lesion'
                              AND f.name = 'total_volume_ml'),
                midline_shift_mm = (SELECT f.value FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'midline'
                                    AND f.name = 'shift_mm'),
                hippocampus_min_z = (SELECT min(f.value) FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'mci'
                                     AND f.name IN ('hippocampus_left_z', 'hippocampus_right_z')),
                brain_age_gap_years = (SELECT f.value FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'brain_age'
                                       AND f.name = 'gap_years'),
                not_assessed_count = COALESCE(jsonb_array_length(j.findings -> 'not_assessed'), 0)
            WHERE j.id = ?""";

    private final DataSource dataSource;

    @Inject
    public AnalysisQueue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A job this worker now holds. */
    public record ClaimedJob(long id, long studyRef, String studyInstanceUid, int attempt) {
    }

    /** A stored instance of the study: series, SOP class and path relative to the data directory. */
    public record StoredInstance(String seriesInstanceUid, String sopClassUid, String sopInstanceUid, String storagePath) {
    }

    /** One measurement row. */
    public record FindingRow(String seriesInstanceUid, String analysis, String name, String scheme, String code,
                             String meaning, double value, String unit, String method, String qcFlags) {
    }

    /** One SR or SEG written by a job. */
    public record ReportRow(String sopInstanceUid, String sopClassUid, String seriesInstanceUid, String kind,
                            String storagePath, long sizeBytes) {
    }

    /**
     * A report object with its delivery rows, for the API.
     *
     * @param review for the SR of an analysis: UNREAD, SIGNED or REJECTED; null for other objects
     */
    public record ReportView(String sopInstanceUid, String sopClassUid, String seriesInstanceUid, String kind,
                             long jobId, String review, List<Delivery> deliveries) {
    }

    /** One destination's delivery state. */
    public record Delivery(String destination, String state, int attempts, String lastError) {
    }

    /**
     * Claims the oldest job whose study is quiet: no series still RECEIVING, and nothing received for
     * {@code studyStableSeconds}; or a RUNNING job whose lease has run out.
     */
    public Optional<ClaimedJob> claim(int studyStableSeconds, int leaseSeconds, String worker) {
        // A job whose workers died MAX_ATTEMPTS times (a study that crashes the process) is given up.
        update("""
                UPDATE analysis_job SET state = 'FAILED', finished_at = now(), lease_until = NULL,
                       reason = 'its worker stopped during ' || attempts || ' attempts'
                WHERE state = 'RUNNING' AND lease_until < now() AND attempts >= ?""", ps -> ps.setInt(1, MAX_ATTEMPTS));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE analysis_job j SET state = 'RUNNING', started_at = now(), attempts = attempts + 1,
                            lease_until = now() + make_interval(secs => ?), worker = ?, reason = NULL
                     FROM study s
                     WHERE s.id = j.study_ref AND j.id = (
                         SELECT q.id FROM analysis_job q
                         WHERE (q.state = 'QUEUED' OR (q.state = 'RUNNING' AND q.lease_until < now()))
                           AND NOT EXISTS (SELECT 1 FROM series r WHERE r.study_ref = q.study_ref
                                           AND (r.state = 'RECEIVING'
                                                OR r.last_received_at > now() - make_interval(secs => ?)))
                         ORDER BY q.queued_at, q.id
                         FOR UPDATE SKIP LOCKED LIMIT 1)
                     RETURNING j.id, j.study_ref, s.study_instance_uid, j.attempts""")) {
            ps.setDouble(1, leaseSeconds);
            ps.setString(2, worker);
            ps.setDouble(3, studyStableSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ClaimedJob(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CatalogUnavailableException("claiming an analysis job failed: " + e.getMessage(), e);
        }
    }

    /** Extends the lease; false when the job is no longer this worker's (it was reclaimed). */
    public boolean renewLease(long jobId, String worker, int leaseSeconds) {
        return update("""
                UPDATE analysis_job SET lease_until = now() + make_interval(secs => ?)
                WHERE id = ? AND state = 'RUNNING' AND worker = ?""", ps -> {
            ps.setDouble(1, leaseSeconds);
            ps.setLong(2, jobId);
            ps.setString(3, worker);
        }) == 1;
    }

    /** The calling AE titles that sent the study's series. */
    public List<String> sendingAes(long studyRef) {
        return list("SELECT DISTINCT sending_ae FROM series WHERE study_ref = ? AND sending_ae IS NOT NULL ORDER BY 1",
                ps -> ps.setLong(1, studyRef), rs -> rs.getString(1), "reading the study's senders");
    }

    /** A study's stored instances in series order; {@code %s} is the condition on study {@code t}. */
    private static final String STORED_INSTANCES = """
            SELECT s.series_instance_uid, i.sop_class_uid, i.sop_instance_uid, i.storage_path
            FROM instance i JOIN series s ON s.id = i.series_ref JOIN study t ON t.id = s.study_ref
            WHERE %s ORDER BY s.id, i.id""";

    public List<StoredInstance> instances(long studyRef) {
        return list(STORED_INSTANCES.formatted("t.id = ?"), ps -> ps.setLong(1, studyRef), AnalysisQueue::storedInstance,
                "listing the study's instances");
    }

    /** The stored instances of a study by its UID. */
    public List<StoredInstance> instancesOfStudy(String studyInstanceUid) {
        return list(STORED_INSTANCES.formatted("t.study_instance_uid = ?"), ps -> ps.setString(1, studyInstanceUid),
                AnalysisQueue::storedInstance, "listing the study's instances");
    }

    private static StoredInstance storedInstance(ResultSet rs) throws SQLException {
        return new StoredInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    /**
     * Marks the job DONE with everything it produced, in one transaction, if this worker still holds
     * it. Report rows that exist already (a retry of a job that crashed after writing them) are kept,
     * and their delivery rows too: the same object is never queued twice for a destination.
     *
     * @return false when the job was no longer this worker's; nothing was written
     */
    public boolean complete(ClaimedJob job, String worker, String findingsJson, String viewerJson, List<FindingRow> findings,
                            List<ReportRow> reports, List<String> destinations, java.util.Set<String> deliveredKinds) {
        return inTransaction("recording the job's results", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE analysis_job SET state = 'DONE', finished_at = now(), lease_until = NULL,
                           findings = CAST(? AS jsonb), viewer = CAST(? AS jsonb)
                    WHERE id = ? AND state = 'RUNNING' AND worker = ?""")) {
                ps.setString(1, findingsJson);
                ps.setString(2, viewerJson);
                ps.setLong(3, job.id());
                ps.setString(4, worker);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO finding (job_ref, study_ref, series_instance_uid, analysis, name, concept_scheme,
                                         concept_code, concept_meaning, value, unit, method, qc_flags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
                for (FindingRow f : findings) {
                    ps.setLong(1, job.id());
                    ps.setLong(2, job.studyRef());
                    ps.setString(3, f.seriesInstanceUid());
                    ps.setString(4, f.analysis());
                    ps.setString(5, f.name());
                    ps.setString(6, f.scheme());
                    ps.setString(7, f.code());
                    ps.setString(8, f.meaning());
                    ps.setDouble(9, f.value());
                    ps.setString(10, f.unit());
                    ps.setString(11, f.method());
                    ps.setString(12, f.qcFlags());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(WORKLIST_FLAGS)) {
                ps.setLong(1, job.id());
                ps.executeUpdate();
            }
            for (ReportRow r : reports) {
                insertReport(c, job.id(), job.studyRef(), r,
                        deliveredKinds.contains(deliveredAs(r.kind())) ? destinations : List.of());
            }
            return true;
        });
    }

    /**
     * The object kind a report row is delivered as (NEUROGATE_DELIVER's names): a reviewed SR goes
     * where SRs go, a reviewed PDF where PDFs go.
     */
    public static String deliveredAs(String kind) {
        return switch (kind) {
            case "SIGNED_SR", "REJECTED_SR" -> "SR";
            case "SIGNED_PDF", "REJECTED_PDF" -> "PDF";
            default -> kind;
        };
    }

    /**
     * Inserts a report object and its delivery rows. A row that exists already (a retried job that
     * wrote it before crashing) is kept with its deliveries: one object is never queued twice for a
     * destination.
     */
    static void insertReport(Connection c, long jobId, long studyRef, ReportRow r, List<String> destinations)
            throws SQLException {
        long reportId;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO report_object (sop_instance_uid, sop_class_uid, series_instance_uid, kind, job_ref,
                                           study_ref, storage_path, size_bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sop_instance_uid) DO UPDATE SET sop_instance_uid = EXCLUDED.sop_instance_uid
                RETURNING id""")) {
            ps.setString(1, r.sopInstanceUid());
            ps.setString(2, r.sopClassUid());
            ps.setString(3, r.seriesInstanceUid());
            ps.setString(4, r.kind());
            ps.setLong(5, jobId);
            ps.setLong(6, studyRef);
            ps.setString(7, r.storagePath());
            ps.setLong(8, r.sizeBytes());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                reportId = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (report_ref, destination) VALUES (?, ?)
                ON CONFLICT (report_ref, destination) DO NOTHING""")) {
            for (String d : destinations) {
                ps.setLong(1, reportId);
                ps.setString(2, d);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Hands a job back unfinished (this worker is shutting down): its lease ends now, so the next claim
     * by any worker takes it, and the attempt does not count against it.
     */
    public boolean giveBack(long jobId, String worker) {
        return update("""
                UPDATE analysis_job SET lease_until = now() - interval '1 second', attempts = greatest(attempts - 1, 0)
                WHERE id = ? AND state = 'RUNNING' AND worker = ?""", ps -> {
            ps.setLong(1, jobId);
            ps.setString(2, worker);
        }) == 1;
    }

    /** Marks the job FAILED with its reason, if this worker still holds it. */
    public void fail(long jobId, String worker, String reason) {
        update("""
                UPDATE analysis_job SET state = 'FAILED', finished_at = now(), lease_until = NULL, reason = ?
                WHERE id = ? AND state = 'RUNNING' AND worker = ?""", ps -> {
            ps.setString(1, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            ps.setLong(2, jobId);
            ps.setString(3, worker);
        });
    }

    /** The latest finished job's findings JSON for a study, or empty. */
    public Optional<String> findingsJson(String studyInstanceUid) {
        return list("""
                SELECT j.findings::text FROM analysis_job j JOIN study s ON s.id = j.study_ref
                WHERE s.study_instance_uid = ? AND j.state = 'DONE' ORDER BY j.finished_at DESC LIMIT 1""",
                ps -> ps.setString(1, studyInstanceUid), rs -> rs.getString(1), "reading findings").stream().findFirst();
    }

    /** The latest finished job of a study, with its timings and what the viewer draws of it. */
    public record FinishedJob(long id, java.time.OffsetDateTime queuedAt, java.time.OffsetDateTime startedAt,
                              java.time.OffsetDateTime finishedAt, String viewerJson) {
        /** Seconds from claim to completion (of the last attempt). */
        public double analysisSeconds() {
            return startedAt == null || finishedAt == null ? Double.NaN
                    : java.time.Duration.between(startedAt, finishedAt).toMillis() / 1000.0;
        }
    }

    public Optional<FinishedJob> latestFinished(String studyInstanceUid) {
        return list("""
                SELECT j.id, j.queued_at, j.started_at, j.finished_at, j.viewer::text
                FROM analysis_job j JOIN study s ON s.id = j.study_ref
                WHERE s.study_instance_uid = ? AND j.state = 'DONE' ORDER BY j.finished_at DESC LIMIT 1""",
                ps -> ps.setString(1, studyInstanceUid),
                rs -> new FinishedJob(rs.getLong(1), rs.getObject(2, java.time.OffsetDateTime.class),
                        rs.getObject(3, java.time.OffsetDateTime.class), rs.getObject(4, java.time.OffsetDateTime.class),
                        rs.getString(5)), "reading the latest analysis").stream().findFirst();
    }

    /** The measurement rows of a study's latest finished job. */
    public List<FindingRow> findings(String studyInstanceUid) {
        return list("""
                SELECT f.series_instance_uid, f.analysis, f.name, f.concept_scheme, f.concept_code, f.concept_meaning,
                       f.value, f.unit, f.method, f.qc_flags
                FROM finding f WHERE f.job_ref = (
                    SELECT j.id FROM analysis_job j JOIN study s ON s.id = j.study_ref
                    WHERE s.study_instance_uid = ? AND j.state = 'DONE' ORDER BY j.finished_at DESC LIMIT 1)
                ORDER BY f.id""", ps -> ps.setString(1, studyInstanceUid),
                rs -> new FindingRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getDouble(7), rs.getString(8), rs.getString(9), rs.getString(10)),
                "reading findings");
    }

    /** Every report object of a study with its deliveries. */
    public List<ReportView> reports(String studyInstanceUid) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT r.id, r.sop_instance_uid, r.sop_class_uid, r.series_instance_uid, r.kind, r.job_ref,
                            o.destination, o.state, o.attempts, o.last_error,
                            CASE WHEN r.kind <> 'SR' THEN NULL WHEN v.action = 'SIGN' THEN 'SIGNED'
                                 WHEN v.action = 'REJECT' THEN 'REJECTED' ELSE 'UNREAD' END
                     FROM report_object r JOIN study s ON s.id = r.study_ref
                     LEFT JOIN outbox o ON o.report_ref = r.id
                     LEFT JOIN review_audit v ON v.job_ref = r.job_ref
                     WHERE s.study_instance_uid = ? ORDER BY r.id, o.id""")) {
            ps.setString(1, studyInstanceUid);
            List<ReportView> out = new ArrayList<>();
            long current = -1;
            List<Delivery> deliveries = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) != current) {
                        current = rs.getLong(1);
                        deliveries = new ArrayList<>();
                        out.add(new ReportView(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getLong(6), rs.getString(11), deliveries));
                    }
                    if (rs.getString(7) != null) {
                        deliveries.add(new Delivery(rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("reading reports failed: " + e.getMessage(), e);
        }
    }

    /** Path (relative to the data directory) of a stored report object. */
    public Optional<String> reportPath(String sopInstanceUid) {
        return list("SELECT storage_path FROM report_object WHERE sop_instance_uid = ?", ps -> ps.setString(1, sopInstanceUid),
                rs -> rs.getString(1), "reading a report").stream().findFirst();
    }

    /** Jobs by state, for metrics. */
    public java.util.Map<String, Long> jobCounts() {
        return counts("SELECT state, count(*) FROM analysis_job GROUP BY state");
    }

    java.util.Map<String, Long> counts(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogUnavailableException("counting failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs a query and maps every row; {@code what} names the step in the error. */
    <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper, String what) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CatalogUnavailableException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Work of one transaction on its connection; true commits it, false rolls it back. */
    @FunctionalInterface
    interface Transaction {
        boolean run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one local transaction: committed when it returns true, rolled back when it
     * returns false or fails. {@code what} names the step in the error.
     */
    boolean inTransaction(String what, Transaction work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (work.run(c)) {
                    c.commit();
                    return true;
                }
                c.rollback();
                return false;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogUnavailableException(what + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogUnavailableException("updating the job queue failed: " + e.getMessage(), e);
        }
    }
}
