package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The radiologist's worklist: one row per study with its patient (this is the clinical viewer, PHI is
 * expected here), analysis and review state, and the flags of its latest finished analysis. Sorted,
 * filtered and paged in PostgreSQL; the flags are columns of {@code analysis_job} written when the job
 * completed, so a page costs index look-ups, not aggregates over findings.
 */
@ApplicationScoped
public class Worklist {

    /** A midline shift from this size on is flagged: 3 mm is where radiologists begin to call it significant. */
    public static final double SHIFT_FLAG_MM = 3;
    /** z below this is below the 5th centile of same-age controls. */
    public static final double FIFTH_CENTILE_Z = -1.6449;
    /** A brain looking this many years older than the patient is flagged. */
    public static final double BRAIN_AGE_GAP_FLAG_YEARS = 5;

    /** Analysis state as the worklist shows it: RECEIVING while any series is, else the latest job's. */
    public enum AnalysisState { RECEIVING, QUEUED, RUNNING, DONE, FAILED, NONE }

    public enum ReviewState { UNREAD, SIGNED, REJECTED }

    public enum Flag { INFARCT, MIDLINE_SHIFT, LOW_HIPPOCAMPUS, BRAIN_AGE_GAP, NOT_ASSESSED }

    public enum Sort { DATE_DESC, DATE_ASC, STATE, REVIEW }

    /**
     * What the worklist is asked for; nulls mean "any".
     *
     * @param search   a patient ID or accession number, or the start of one
     * @param dateFrom StudyDate from, YYYYMMDD, inclusive
     * @param dateTo   StudyDate to, YYYYMMDD, inclusive
     * @param page     0-based
     */
    public record Query(String search, AnalysisState state, ReviewState review, Flag flag, String dateFrom, String dateTo,
                        Sort sort, int page, int pageSize) {
        public Query {
            if (pageSize < 1 || pageSize > 500) {
                throw new IllegalArgumentException("page size must be 1-500, was " + pageSize);
            }
            if (page < 0) {
                throw new IllegalArgumentException("page must be 0 or more, was " + page);
            }
            for (String date : new String[] {dateFrom, dateTo}) {
                if (date != null && !date.matches("\\d{8}")) {
                    throw new IllegalArgumentException("dates are YYYYMMDD, was " + date);
                }
            }
            sort = sort == null ? Sort.DATE_DESC : sort;
        }
    }

    /** One study. Flags are null where the analysis did not measure them. */
    public record Row(String studyInstanceUid, String patientName, String patientId, String studyDate,
                      String studyDescription, String accessionNumber, int seriesCount, AnalysisState analysisState,
                      String failureReason, ReviewState reviewState, Double infarctMl, Double midlineShiftMm,
                      Double hippocampusMinZ, Double brainAgeGapYears, Integer notAssessedCount) {

        public boolean infarct() {
            return infarctMl != null && infarctMl > 0;
        }

        public boolean midlineShift() {
            return midlineShiftMm != null && midlineShiftMm >= SHIFT_FLAG_MM;
        }

        public boolean lowHippocampus() {
            return hippocampusMinZ != null && hippocampusMinZ < FIFTH_CENTILE_Z;
        }

        public boolean brainAgeGap() {
            return brainAgeGapYears != null && brainAgeGapYears >= BRAIN_AGE_GAP_FLAG_YEARS;
        }
    }

    public record Page(List<Row> rows, long total, int page, int pageSize) {
        public int pages() {
            return (int) Math.max(1, (total + pageSize - 1) / pageSize);
        }
    }

    private static final String ROWS = """
            WITH w AS (
              SELECT s.id, s.study_instance_uid, p.patient_name, p.patient_id, s.study_date, s.study_description,
                     s.accession_number,
                     (SELECT count(*) FROM series r WHERE r.study_ref = s.id) AS series_count,
                     CASE WHEN EXISTS (SELECT 1 FROM series r WHERE r.study_ref = s.id AND r.state = 'RECEIVING')
                          THEN 'RECEIVING' ELSE COALESCE(j.state, 'NONE') END AS analysis_state,
                     j.reason,
                     CASE WHEN d.id IS NULL THEN NULL WHEN v.action = 'SIGN' THEN 'SIGNED'
                          WHEN v.action = 'REJECT' THEN 'REJECTED' ELSE 'UNREAD' END AS review_state,
                     d.infarct_ml, d.midline_shift_mm, d.hippocampus_min_z, d.brain_age_gap_years, d.not_assessed_count
              FROM study s JOIN patient p ON p.id = s.patient_ref
              LEFT JOIN LATERAL (SELECT q.state, q.reason FROM analysis_job q WHERE q.study_ref = s.id
                                 ORDER BY q.id DESC LIMIT 1) j ON true
              LEFT JOIN LATERAL (SELECT q.id, q.infarct_ml, q.midline_shift_mm, q.hippocampus_min_z,
                                        q.brain_age_gap_years, q.not_assessed_count
                                 FROM analysis_job q WHERE q.study_ref = s.id AND q.state = 'DONE'
                                 ORDER BY q.finished_at DESC LIMIT 1) d ON true
              LEFT JOIN review_audit v ON v.job_ref = d.id
              WHERE (CAST(? AS text) IS NULL OR p.patient_id LIKE ? ESCAPE '\\' OR s.accession_number LIKE ? ESCAPE '\\')
                AND (CAST(? AS text) IS NULL OR s.study_date >= ?)
                AND (CAST(? AS text) IS NULL OR s.study_date <= ?)
                AND (CAST(? AS text) IS NULL OR s.study_instance_uid = ?))
            SELECT w.*, count(*) OVER () AS total FROM w
            WHERE (CAST(? AS text) IS NULL OR w.analysis_state = ?)
              AND (CAST(? AS text) IS NULL OR w.review_state = ?)
              AND %s
            ORDER BY %s
            LIMIT ? OFFSET ?""";

    private final DataSource dataSource;

    @Inject
    public Worklist(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Page page(Query q) {
        return page(q, null);
    }

    /** One study's row, as the report page's header shows it. */
    public java.util.Optional<Row> study(String studyInstanceUid) {
        return page(new Query(null, null, null, null, null, null, Sort.DATE_DESC, 0, 1), studyInstanceUid).rows().stream()
                .findFirst();
    }

    private Page page(Query q, String studyInstanceUid) {
        String flag = switch (q.flag() == null ? "" : q.flag().name()) {
            case "INFARCT" -> "w.infarct_ml > 0";
            case "MIDLINE_SHIFT" -> "w.midline_shift_mm >= " + SHIFT_FLAG_MM;
            case "LOW_HIPPOCAMPUS" -> "w.hippocampus_min_z < " + FIFTH_CENTILE_Z;
            case "BRAIN_AGE_GAP" -> "w.brain_age_gap_years >= " + BRAIN_AGE_GAP_FLAG_YEARS;
            case "NOT_ASSESSED" -> "w.not_assessed_count > 0";
            default -> "true";
        };
        String order = switch (q.sort()) {
            case DATE_DESC -> "w.study_date DESC NULLS LAST, w.id DESC";
            case DATE_ASC -> "w.study_date ASC NULLS LAST, w.id";
            // What needs attention first: failures, then work in progress, then finished.
            case STATE -> "CASE w.analysis_state WHEN 'FAILED' THEN 0 WHEN 'RUNNING' THEN 1 WHEN 'QUEUED' THEN 2 "
                    + "WHEN 'RECEIVING' THEN 3 WHEN 'DONE' THEN 4 ELSE 5 END, w.study_date DESC NULLS LAST, w.id DESC";
            case REVIEW -> "CASE w.review_state WHEN 'UNREAD' THEN 0 WHEN 'REJECTED' THEN 1 WHEN 'SIGNED' THEN 2 ELSE 3 END, "
                    + "w.study_date DESC NULLS LAST, w.id DESC";
        };
        String sql = String.format(ROWS, flag, order);
        String like = q.search() == null || q.search().isBlank() ? null
                : q.search().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, like);
            ps.setString(i++, like);
            ps.setString(i++, like);
            ps.setString(i++, q.dateFrom());
            ps.setString(i++, q.dateFrom());
            ps.setString(i++, q.dateTo());
            ps.setString(i++, q.dateTo());
            ps.setString(i++, studyInstanceUid);
            ps.setString(i++, studyInstanceUid);
            String state = q.state() == null ? null : q.state().name();
            ps.setString(i++, state);
            ps.setString(i++, state);
            String review = q.review() == null ? null : q.review().name();
            ps.setString(i++, review);
            ps.setString(i++, review);
            ps.setInt(i++, q.pageSize());
            ps.setLong(i, (long) q.page() * q.pageSize());
            List<Row> rows = new ArrayList<>();
            long total = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = rs.getLong("total");
                    rows.add(new Row(rs.getString("study_instance_uid"), rs.getString("patient_name"),
                            rs.getString("patient_id"), rs.getString("study_date"), rs.getString("study_description"),
                            rs.getString("accession_number"), rs.getInt("series_count"),
                            AnalysisState.valueOf(rs.getString("analysis_state")), rs.getString("reason"),
                            rs.getString("review_state") == null ? null : ReviewState.valueOf(rs.getString("review_state")),
                            nullable(rs, "infarct_ml"), nullable(rs, "midline_shift_mm"), nullable(rs, "hippocampus_min_z"),
                            nullable(rs, "brain_age_gap_years"),
                            rs.getObject("not_assessed_count") == null ? null : rs.getInt("not_assessed_count")));
                }
            }
            return new Page(rows, total, q.page(), q.pageSize());
        } catch (SQLException e) {
            throw new CatalogUnavailableException("reading the worklist failed: " + e.getMessage(), e);
        }
    }

    private static Double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
