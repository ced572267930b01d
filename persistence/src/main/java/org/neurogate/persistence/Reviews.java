package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Sign-off of a study's latest analysis: what is to be reviewed, the audit trail of decisions, and the
 * recording of a decision together with the SR it produced and that SR's deliveries, in one
 * transaction. One decision per analysis job: a new analysis is a new job and reopens the review.
 */
@ApplicationScoped
public class Reviews {

    public static final String SIGN = "SIGN";
    public static final String REJECT = "REJECT";

    private final AnalysisQueue queue;

    @Inject
    public Reviews(AnalysisQueue queue) {
        this.queue = queue;
    }

    /**
     * The latest finished analysis of a study and its unverified SR, with the destinations its results
     * went to (a review's SR follows them there).
     */
    public record Subject(long studyRef, long jobRef, String studyInstanceUid, String reportSopInstanceUid,
                          String reportSeriesInstanceUid, String reportStoragePath, List<String> destinations) {
    }

    /** One entry of the audit trail. */
    public record Decision(long jobRef, String action, String username, String observerName, String comment,
                           String reportSopInstanceUid, String resultSopInstanceUid, OffsetDateTime decidedAt) {
    }

    public Optional<Subject> subject(String studyInstanceUid) {
        List<Subject> found = queue.list("""
                SELECT s.id, j.id, s.study_instance_uid, r.sop_instance_uid, r.series_instance_uid, r.storage_path,
                       ARRAY(SELECT DISTINCT o.destination FROM outbox o JOIN report_object x ON x.id = o.report_ref
                             WHERE x.job_ref = j.id ORDER BY 1)
                FROM study s
                JOIN LATERAL (SELECT q.id FROM analysis_job q WHERE q.study_ref = s.id AND q.state = 'DONE'
                              ORDER BY q.finished_at DESC LIMIT 1) j ON true
                JOIN report_object r ON r.job_ref = j.id AND r.kind = 'SR'
                WHERE s.study_instance_uid = ?""", ps -> ps.setString(1, studyInstanceUid),
                rs -> new Subject(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), List.of((String[]) rs.getArray(7).getArray())), "reading the review subject");
        return found.stream().findFirst();
    }

    /** The decision on one analysis job, if any. */
    public Optional<Decision> decision(long jobRef) {
        return queue.list(DECISIONS + " WHERE v.job_ref = ?", ps -> ps.setLong(1, jobRef), Reviews::decision,
                "reading the review").stream().findFirst();
    }

    /** Every decision on the study's analyses, oldest first. */
    public List<Decision> history(String studyInstanceUid) {
        return queue.list(DECISIONS + " JOIN study s ON s.id = v.study_ref WHERE s.study_instance_uid = ? ORDER BY v.decided_at, v.id",
                ps -> ps.setString(1, studyInstanceUid), Reviews::decision, "reading the review history");
    }

    private static final String DECISIONS = """
            SELECT v.job_ref, v.action, v.username, v.observer_name, v.comment, v.report_sop_instance_uid,
                   v.result_sop_instance_uid, v.decided_at FROM review_audit v""";

    private static Decision decision(ResultSet rs) throws SQLException {
        return new Decision(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class));
    }

    /**
     * Records a decision with the objects it produced (its SR first, then the re-issued PDF) and their
     * delivery rows for the kinds that are delivered.
     *
     * @return false when the analysis had been decided already; nothing was written
     */
    public boolean record(Subject subject, String action, String username, String observerName, String comment,
                          List<AnalysisQueue.ReportRow> results, java.util.Set<String> deliveredKinds) {
        AnalysisQueue.ReportRow result = results.get(0);
        return queue.inTransaction("recording the review", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO review_audit (study_ref, job_ref, action, username, observer_name, comment,
                                              report_sop_instance_uid, result_sop_instance_uid)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_ref) DO NOTHING""")) {
                ps.setLong(1, subject.studyRef());
                ps.setLong(2, subject.jobRef());
                ps.setString(3, action);
                ps.setString(4, username);
                ps.setString(5, observerName);
                ps.setString(6, comment);
                ps.setString(7, subject.reportSopInstanceUid());
                ps.setString(8, result.sopInstanceUid());
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            for (AnalysisQueue.ReportRow r : results) {
                AnalysisQueue.insertReport(c, subject.jobRef(), subject.studyRef(), r,
                        deliveredKinds.contains(AnalysisQueue.deliveredAs(r.kind())) ? subject.destinations() : List.of());
            }
            return true;
        });
    }
}
