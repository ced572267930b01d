package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Research export jobs (queued by the API, or run at once by the CLI) and their audit trail: one
 * {@code export_audit} row per finished export, written in the same transaction that marks it DONE.
 */
@ApplicationScoped
public class ExportJobs {

    public enum State { QUEUED, RUNNING, DONE, FAILED }

    public record ExportJob(String id, State state, String cohortJson, String requestedBy, String via, boolean withImages,
                            int done, Integer total, String reason, String outputPath, Instant createdAt,
                            Instant startedAt, Instant finishedAt) {
    }

    /** Who exported what, when, and the digest of the export's manifest. */
    public record AuditEntry(String exportId, String username, String via, String cohortJson, int subjects, int studies,
                             int measurements, boolean withImages, String manifestSha256, Instant exportedAt) {
    }

    private static final String COLUMNS = """
            id, state, cohort::text, requested_by, via, with_images, done, total, reason, output_path, created_at,
            started_at, finished_at""";

    private final AnalysisQueue queue;

    public ExportJobs(AnalysisQueue queue) {
        this.queue = queue;
    }

    /** Records a new export; API exports start QUEUED, CLI exports RUNNING (their process runs them at once). */
    public void create(String id, String cohortJson, String requestedBy, String via, boolean withImages) {
        boolean cli = via.equals("CLI");
        queue.update("""
                INSERT INTO export_job (id, state, cohort, requested_by, via, with_images, started_at)
                VALUES (?, ?, ?::jsonb, ?, ?, ?, CASE WHEN ? THEN now() END)""", ps -> {
                    ps.setString(1, id);
                    ps.setString(2, cli ? "RUNNING" : "QUEUED");
                    ps.setString(3, cohortJson);
                    ps.setString(4, requestedBy);
                    ps.setString(5, via);
                    ps.setBoolean(6, withImages);
                    ps.setBoolean(7, cli);
                });
    }

    /** How long a running API export is its process's without progress; then another web process retakes it. */
    static final int LEASE_SECONDS = 300;

    /**
     * Takes the oldest API export that is queued, or running under a lease that ran out (its process
     * stopped; it is re-run from the start), and marks it RUNNING under a new lease.
     */
    public Optional<ExportJob> claimNext() {
        return queue.list("""
                UPDATE export_job SET state = 'RUNNING', started_at = now(), done = 0,
                                      lease_until = now() + make_interval(secs => ?)
                WHERE id = (SELECT id FROM export_job WHERE via = 'API'
                              AND (state = 'QUEUED' OR (state = 'RUNNING' AND (lease_until IS NULL OR lease_until < now())))
                            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING %s""".formatted(COLUMNS), ps -> ps.setInt(1, LEASE_SECONDS), ExportJobs::job,
                "claiming an export").stream().findFirst();
    }

    /**
     * API exports left RUNNING go back to the queue at once: only for a process that knows no other
     * can be running them (the embedded database's single process); elsewhere their leases decide.
     */
    public int requeueInterrupted() {
        return queue.update("UPDATE export_job SET state = 'QUEUED', done = 0 WHERE state = 'RUNNING' AND via = 'API'",
                ps -> { });
    }

    public void progress(String id, int done, int total) {
        queue.update("""
                UPDATE export_job SET done = ?, total = ?, lease_until = now() + make_interval(secs => ?)
                WHERE id = ?""", ps -> {
            ps.setInt(1, done);
            ps.setInt(2, total);
            ps.setInt(3, LEASE_SECONDS);
            ps.setString(4, id);
        });
    }

    /** Marks the export DONE and writes its audit rows (the export's own and the trail's), in one transaction. */
    public void finish(String id, String outputPath, AuditEntry audit) {
        queue.inTransaction("finishing an export", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE export_job SET state = 'DONE', finished_at = now(), output_path = ?, reason = NULL
                    WHERE id = ?""")) {
                ps.setString(1, outputPath);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO export_audit (export_id, username, via, cohort, subject_count, study_count,
                                              measurement_count, with_images, manifest_sha256)
                    VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, audit.username());
                ps.setString(3, audit.via());
                ps.setString(4, audit.cohortJson());
                ps.setInt(5, audit.subjects());
                ps.setInt(6, audit.studies());
                ps.setInt(7, audit.measurements());
                ps.setBoolean(8, audit.withImages());
                ps.setString(9, audit.manifestSha256());
                ps.executeUpdate();
            }
            AuditTrail.append(c, new AuditTrail.Recorded(AuditEvent.EXPORT_WRITTEN, AuditEvent.SUCCESS, audit.username(),
                    null, null, "export", id, null, "via %s: %d subjects, %d studies, %d measurements%s; manifest sha256 %s"
                    .formatted(audit.via(), audit.subjects(), audit.studies(), audit.measurements(),
                            audit.withImages() ? ", with images" : "", audit.manifestSha256())));
            return true;
        });
    }

    /** Marks the export FAILED; the reason names no patient. */
    public void fail(String id, String reason) {
        queue.update("UPDATE export_job SET state = 'FAILED', finished_at = now(), reason = ? WHERE id = ?", ps -> {
            ps.setString(1, reason);
            ps.setString(2, id);
        });
    }

    public Optional<ExportJob> find(String id) {
        return queue.list("SELECT %s FROM export_job WHERE id = ?".formatted(COLUMNS), ps -> ps.setString(1, id),
                ExportJobs::job, "reading an export").stream().findFirst();
    }

    private static final String AUDIT = """
            SELECT export_id, username, via, cohort::text, subject_count, study_count, measurement_count, with_images,
                   manifest_sha256, exported_at FROM export_audit""";

    /** Every audit row, newest first. */
    public List<AuditEntry> audit() {
        return queue.list(AUDIT + " ORDER BY exported_at DESC, id DESC", ps -> { }, ExportJobs::audit,
                "reading the export audit");
    }

    /** The audit row of one export, once it is DONE. */
    public Optional<AuditEntry> auditOf(String exportId) {
        return queue.list(AUDIT + " WHERE export_id = ?", ps -> ps.setString(1, exportId), ExportJobs::audit,
                "reading the export audit").stream().findFirst();
    }

    private static AuditEntry audit(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getInt(6), rs.getInt(7), rs.getBoolean(8), rs.getString(9), instant(rs.getTimestamp(10)));
    }

    /** Every export job, newest first. */
    public List<ExportJob> jobs() {
        return queue.list("SELECT %s FROM export_job ORDER BY created_at DESC".formatted(COLUMNS), ps -> { },
                ExportJobs::job, "reading exports");
    }

    private static ExportJob job(ResultSet rs) throws SQLException {
        int total = rs.getInt(8);
        Integer totalOrNull = rs.wasNull() ? null : total;
        return new ExportJob(rs.getString(1), State.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getBoolean(6), rs.getInt(7), totalOrNull, rs.getString(9), rs.getString(10),
                instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
