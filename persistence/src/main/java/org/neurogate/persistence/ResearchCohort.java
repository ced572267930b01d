package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What a research export reads: every study with a finished analysis (its latest), the patient facts
 * the pseudonyms and cohort filters need, its measurements, and the files behind it. Identifying
 * values leave this class only to be replaced (pseudonyms, shifted dates) or to be searched for in
 * the export's files, never to be written.
 */
@ApplicationScoped
public class ResearchCohort {

    /** A study's latest finished analysis. Dates are DICOM DA; {@code findingsJson} is the findings document. */
    public record AnalysedStudy(long studyRef, long jobRef, String studyInstanceUid, String studyDate, String patientId,
                                String issuer, String patientName, String patientSex, String birthDate,
                                String accessionNumber, String studyDescription, String findingsJson, boolean signed) {
    }

    private final AnalysisQueue queue;
    private final DataSource dataSource;

    public ResearchCohort(AnalysisQueue queue, DataSource dataSource) {
        this.queue = queue;
        this.dataSource = dataSource;
    }

    /**
     * Studies whose latest finished analysis exists, with a study date in [since, until] where given
     * (DA strings; null for open), oldest first.
     */
    public List<AnalysedStudy> studies(String since, String until) {
        return queue.list("""
                SELECT s.id, j.id, s.study_instance_uid, s.study_date, p.patient_id, p.issuer, p.patient_name, p.sex,
                       p.birth_date, s.accession_number, s.study_description, j.findings::text,
                       EXISTS (SELECT 1 FROM review_audit r WHERE r.job_ref = j.id AND r.action = 'SIGN')
                FROM study s JOIN patient p ON p.id = s.patient_ref
                JOIN LATERAL (SELECT q.id, q.findings FROM analysis_job q WHERE q.study_ref = s.id AND q.state = 'DONE'
                              ORDER BY q.finished_at DESC, q.id DESC LIMIT 1) j ON true
                WHERE (?::text IS NULL OR s.study_date >= ?) AND (?::text IS NULL OR s.study_date <= ?)
                ORDER BY s.study_date, s.id""", ps -> {
                    ps.setString(1, since);
                    ps.setString(2, since);
                    ps.setString(3, until);
                    ps.setString(4, until);
                }, rs -> new AnalysedStudy(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), rs.getBoolean(13)),
                "reading the analysed studies");
    }

    /** The measurements of each job, in the order they were recorded. */
    public Map<Long, List<AnalysisQueue.FindingRow>> findings(List<Long> jobRefs) {
        Map<Long, List<AnalysisQueue.FindingRow>> out = new LinkedHashMap<>();
        jobRefs.forEach(j -> out.put(j, new ArrayList<>()));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT job_ref, series_instance_uid, analysis, name, concept_scheme, concept_code, concept_meaning, value,
                       unit, method, qc_flags
                FROM finding WHERE job_ref = ANY (?) ORDER BY job_ref, id""")) {
            Array ids = c.createArrayOf("bigint", jobRefs.toArray());
            ps.setArray(1, ids);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getLong(1)).add(new AnalysisQueue.FindingRow(rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getDouble(8),
                            rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
        } catch (SQLException e) {
            throw new CatalogUnavailableException("reading the cohort's findings failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** A series as the PHI scan of an export needs it: its UID and description. */
    public record SeriesName(long studyRef, String seriesInstanceUid, String description) {
    }

    /** The series of the given studies, for the PHI scan of an export. */
    public List<SeriesName> series(List<Long> studyRefs) {
        return queue.list("""
                SELECT study_ref, series_instance_uid, series_description FROM series WHERE study_ref = ANY (?)""",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", studyRefs.toArray())),
                rs -> new SeriesName(rs.getLong(1), rs.getString(2), rs.getString(3)), "reading series");
    }

    /** The stored instances of the given series of a study. */
    public List<AnalysisQueue.StoredInstance> instances(long studyRef, List<String> seriesUids) {
        return queue.list("""
                SELECT se.series_instance_uid, i.sop_class_uid, i.sop_instance_uid, i.storage_path
                FROM instance i JOIN series se ON se.id = i.series_ref
                WHERE se.study_ref = ? AND se.series_instance_uid = ANY (?)
                ORDER BY se.series_instance_uid, i.instance_number, i.sop_instance_uid""", ps -> {
                    ps.setLong(1, studyRef);
                    ps.setArray(2, ps.getConnection().createArrayOf("varchar", seriesUids.toArray()));
                }, rs -> new AnalysisQueue.StoredInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                "reading the stored instances");
    }

    /** NeuroGate's own objects of a job of the given kinds (SR, SIGNED_SR, SEG, ...). */
    public List<AnalysisQueue.StoredInstance> reportObjects(long jobRef, List<String> kinds) {
        return queue.list("""
                SELECT series_instance_uid, sop_class_uid, sop_instance_uid, storage_path FROM report_object
                WHERE job_ref = ? AND kind = ANY (?) ORDER BY id""", ps -> {
                    ps.setLong(1, jobRef);
                    ps.setArray(2, ps.getConnection().createArrayOf("varchar", kinds.toArray()));
                }, rs -> new AnalysisQueue.StoredInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                "reading the report objects");
    }
}
