package org.neurogate.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A patient's earlier analysed studies, for the change since the prior study. Only studies of the
 * same patient are considered: by default the same PatientID and IssuerOfPatientID (one patient row),
 * or the same PatientID whatever the issuer where a site has a single ID domain.
 */
@ApplicationScoped
public class PriorStudies {

    /** How a prior study is matched to the patient. */
    public enum Match {
        PATIENT_ID_AND_ISSUER, PATIENT_ID
    }

    /** A stored measurement of a prior study's latest finished analysis. */
    public record Value(String analysis, String name, double value, String method) {
    }

    /** A report object of the prior study (its SR, to cite as evidence). */
    public record StoredObject(String seriesInstanceUid, String sopClassUid, String sopInstanceUid) {
    }

    /** An earlier study with findings. */
    public record Prior(String studyInstanceUid, String studyDate, List<Value> values, List<StoredObject> reports) {
    }

    /** At most this many earlier studies are read: the comparison wants the most recent matching one. */
    static final int LIMIT = 10;

    private final AnalysisQueue queue;

    public PriorStudies(AnalysisQueue queue) {
        this.queue = queue;
    }

    /** The study's date (DICOM DA), if known. */
    public Optional<String> studyDate(long studyRef) {
        return queue.list("SELECT study_date FROM study WHERE id = ?", ps -> ps.setLong(1, studyRef),
                rs -> rs.getString(1), "reading the study date").stream().filter(d -> d != null && d.matches("\\d{8}"))
                .findFirst();
    }

    /** Earlier studies of the same patient with a finished analysis, most recent first. */
    public List<Prior> before(long studyRef, Match match) {
        String samePatient = match == Match.PATIENT_ID_AND_ISSUER ? "p.patient_ref = s.patient_ref"
                : "pp.patient_id = sp.patient_id AND sp.patient_id IS NOT NULL AND sp.patient_id <> ''";
        record Row(long job, String study, String date) {
        }
        List<Row> studies = queue.list("""
                SELECT j.id, p.study_instance_uid, p.study_date
                FROM study s JOIN patient sp ON sp.id = s.patient_ref
                JOIN study p ON p.id <> s.id AND p.study_date < s.study_date
                JOIN patient pp ON pp.id = p.patient_ref
                JOIN LATERAL (SELECT q.id FROM analysis_job q WHERE q.study_ref = p.id AND q.state = 'DONE'
                              ORDER BY q.finished_at DESC LIMIT 1) j ON true
                WHERE s.id = ? AND %s
                ORDER BY p.study_date DESC, p.id DESC LIMIT %d""".formatted(samePatient, LIMIT),
                ps -> ps.setLong(1, studyRef), rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)),
                "reading prior studies");
        List<Prior> out = new ArrayList<>();
        for (Row r : studies) {
            List<Value> values = queue.list("""
                    SELECT analysis, name, value, method FROM finding WHERE job_ref = ? ORDER BY id""",
                    ps -> ps.setLong(1, r.job()), rs -> new Value(rs.getString(1), rs.getString(2), rs.getDouble(3),
                            rs.getString(4)), "reading prior findings");
            List<StoredObject> reports = queue.list("""
                    SELECT series_instance_uid, sop_class_uid, sop_instance_uid FROM report_object
                    WHERE job_ref = ? AND kind = 'SR' ORDER BY id""", ps -> ps.setLong(1, r.job()),
                    rs -> new StoredObject(rs.getString(1), rs.getString(2), rs.getString(3)), "reading prior reports");
            out.add(new Prior(r.study(), r.date(), values, reports));
        }
        return out;
    }
}
