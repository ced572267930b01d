package org.neurogate.inference.longitudinal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.analysis.ModelUse;

/**
 * What changed since the patient's prior study, or why nothing was compared.
 *
 * @param status        {@link Status#COMPARED} when values were compared; otherwise the reason there are no changes
 * @param reason        the reason in words, for the report (null when compared)
 * @param intervalYears days between the study dates / 365.2425; null without a prior
 * @param icvChangePct  100 (ICV now - ICV then) / ICV then; the check on every comparison
 * @param volumes       prior and current volumes; changes and rates only when compared
 * @param lesions       null when either study has no lesion analysis
 * @param midlineShiftChangeMm null when either study has no shift measured
 * @param notes         qualifications (a short interval gives no rates, lesions are not matched spatially)
 */
public record ChangeSincePrior(Status status, String reason, String priorStudyInstanceUid, String priorStudyDate,
                               Double intervalYears, Double icvChangePct, List<VolumeChange> volumes,
                               LesionChange lesions, Double midlineShiftChangeMm, List<String> notes) {

    /** The comparison's algorithm, in every change row: NeuroGate's own arithmetic, not a model. */
    public static final ModelUse METHOD = ModelUse.builtIn("longitudinal-change");

    public enum Status {
        COMPARED,
        /** No earlier study of this patient with findings. */
        NO_PRIOR,
        /** Earlier studies exist, but none has findings from the same model versions. */
        MODEL_VERSIONS_DIFFER,
        /** The ICV changed by more than the check allows: another scanner or segmentation, not atrophy. */
        ICV_MISMATCH
    }

    /**
     * One volume then and now.
     *
     * @param annualisedPctPerYear 100 (now - then) / then / years: null when not compared or the interval is short
     * @param flag                 set when the rate is beyond normal ageing (see {@link AtrophyNorms})
     */
    public record VolumeChange(String name, String label, CodedConcept concept, double priorMl, double currentMl,
                               Double changeMl, Double annualisedPctPerYear, String flag, String normalAgeing) {
    }

    /** Lesions then and now; "new" is the increase in count, since lesions are not matched in space. */
    public record LesionChange(int priorCount, int currentCount, int newLesions, double priorTotalMl,
                               double currentTotalMl, double totalChangeMl) {
    }

    public ChangeSincePrior {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    static ChangeSincePrior notCompared(Status status, String reason, StudyMeasurements prior, Double intervalYears,
                                        Double icvChangePct, List<VolumeChange> volumes) {
        return new ChangeSincePrior(status, reason, prior == null ? null : prior.studyInstanceUid(),
                prior == null || prior.studyDate() == null ? null : prior.studyDate().toString(), intervalYears,
                icvChangePct, volumes, null, null, List.of());
    }

    public boolean compared() {
        return status == Status.COMPARED;
    }

    /** Volumes whose rate is beyond normal ageing. */
    @JsonIgnore
    public List<VolumeChange> flagged() {
        return volumes.stream().filter(v -> v.flag() != null).toList();
    }

    /** The rows a comparison adds to the study's findings (analysis "change"); none when not compared. */
    @JsonIgnore
    public List<Measurement> measurements(String sourceSeriesUid) {
        List<Measurement> out = new ArrayList<>();
        if (!compared()) {
            return out;
        }
        out.add(m("interval_years", Concepts.INTERVAL_SINCE_PRIOR, intervalYears, "a", sourceSeriesUid, List.of()));
        if (icvChangePct != null) {
            out.add(m("icv_change_pct", Concepts.INTRACRANIAL_VOLUME, icvChangePct, "%", sourceSeriesUid, List.of()));
        }
        for (VolumeChange v : volumes) {
            List<String> flags = v.flag() == null ? List.of() : List.of(v.flag());
            if (v.changeMl() != null) {
                out.add(m(v.name() + "_change_ml", v.concept(), v.changeMl(), "ml", sourceSeriesUid, flags));
            }
            if (v.annualisedPctPerYear() != null) {
                out.add(m(v.name() + "_annualised_pct", v.concept(), v.annualisedPctPerYear(), "%/a", sourceSeriesUid,
                        flags));
            }
        }
        if (lesions != null) {
            out.add(m("new_lesions", Concepts.NEW_LESIONS, lesions.newLesions(), "1", sourceSeriesUid, List.of()));
            out.add(m("lesion_total_change_ml", Concepts.INFARCT, lesions.totalChangeMl(), "ml", sourceSeriesUid,
                    List.of()));
        }
        if (midlineShiftChangeMm != null) {
            out.add(m("midline_shift_change_mm", Concepts.MIDLINE_SHIFT, midlineShiftChangeMm, "mm", sourceSeriesUid,
                    List.of()));
        }
        return out;
    }

    private static Measurement m(String name, CodedConcept concept, double value, String unit, String series,
                                 List<String> flags) {
        return new Measurement("change", name, concept, value, unit, METHOD, series, flags);
    }
}
