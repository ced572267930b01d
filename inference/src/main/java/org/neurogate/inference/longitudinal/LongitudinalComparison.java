package org.neurogate.inference.longitudinal;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;

/**
 * Compares a study with the patient's prior: the most recent earlier study whose findings come from
 * the same model versions. Volumes are compared only while the ICV agrees; rates are annualised over
 * the interval between the study dates.
 */
public final class LongitudinalComparison {

    /** A volume the comparison follows: its key in the findings, its label and its flag threshold (loss). */
    private record Followed(String name, String label, CodedConcept concept, Double flagLossPct, String normal) {
    }

    private static final List<Followed> FOLLOWED = List.of(
            new Followed("hippocampus_left", "Left hippocampus", Concepts.HIPPOCAMPUS_LEFT,
                    AtrophyNorms.HIPPOCAMPUS_FLAG_LOSS_PCT, AtrophyNorms.HIPPOCAMPUS_NORMAL),
            new Followed("hippocampus_right", "Right hippocampus", Concepts.HIPPOCAMPUS_RIGHT,
                    AtrophyNorms.HIPPOCAMPUS_FLAG_LOSS_PCT, AtrophyNorms.HIPPOCAMPUS_NORMAL),
            new Followed("ventricles", "Ventricles", Concepts.VENTRICLES, null, null),
            new Followed("grey_matter", "Grey matter", Concepts.GREY_MATTER, AtrophyNorms.GREY_MATTER_FLAG_LOSS_PCT,
                    AtrophyNorms.GREY_MATTER_NORMAL),
            new Followed("whole_brain", "Whole brain", Concepts.WHOLE_BRAIN, AtrophyNorms.WHOLE_BRAIN_FLAG_LOSS_PCT,
                    AtrophyNorms.WHOLE_BRAIN_NORMAL),
            new Followed("icv", "Intracranial volume", Concepts.INTRACRANIAL_VOLUME, null, null));

    /** The measurements whose models must match for two studies to be compared. */
    private static final List<String[]> COMPARED_KEYS = List.of(new String[] {"mci", "icv_ml"},
            new String[] {"mci", "grey_matter_ml"}, new String[] {"mci", "ventricles_ml"},
            new String[] {"mci", "hippocampus_left_ml"}, new String[] {"lesion", "count"},
            new String[] {"lesion", "total_volume_ml"}, new String[] {"midline", "shift_mm"});

    private LongitudinalComparison() {
    }

    /**
     * @param priors earlier studies of the same patient with findings, most recent first
     */
    public static ChangeSincePrior compare(StudyMeasurements current, List<StudyMeasurements> priors) {
        if (current.studyDate() == null) {
            return ChangeSincePrior.notCompared(ChangeSincePrior.Status.NO_PRIOR,
                    "the study has no study date, so no prior can be placed before it", null, null, null, null);
        }
        List<StudyMeasurements> earlier = priors.stream()
                .filter(p -> p.studyDate() != null && p.studyDate().isBefore(current.studyDate())).toList();
        if (earlier.isEmpty()) {
            return ChangeSincePrior.notCompared(ChangeSincePrior.Status.NO_PRIOR,
                    "no earlier study of this patient with findings", null, null, null, null);
        }
        StudyMeasurements prior = null;
        for (StudyMeasurements p : earlier) {
            if (modelDifference(current, p).isEmpty() && sharesAMeasurement(current, p)) {
                prior = p;
                break;
            }
        }
        if (prior == null) {
            StudyMeasurements latest = earlier.get(0);
            String why = modelDifference(current, latest).orElse("no measurement in common");
            return ChangeSincePrior.notCompared(ChangeSincePrior.Status.MODEL_VERSIONS_DIFFER,
                    "no earlier study with findings from the same model versions; the most recent (" + latest.studyDate()
                            + ") differs: " + why, latest, years(latest, current), null, null);
        }
        double years = years(prior, current);
        Double icvChange = percentChange(volume(prior, "icv"), volume(current, "icv"));
        List<ChangeSincePrior.VolumeChange> listed = new ArrayList<>();
        if (icvChange != null && Math.abs(icvChange) > AtrophyNorms.ICV_TOLERANCE_PCT) {
            for (Followed f : FOLLOWED) {
                Double then = volume(prior, f.name());
                Double now = volume(current, f.name());
                if (then != null && now != null) {
                    listed.add(new ChangeSincePrior.VolumeChange(f.name(), f.label(), f.concept(), then, now, null, null,
                            null, f.normal()));
                }
            }
            return ChangeSincePrior.notCompared(ChangeSincePrior.Status.ICV_MISMATCH, String.format(Locale.ROOT,
                    "the intracranial volume changed by %+.1f %% (more than %.0f %% in one adult): the scans were "
                            + "acquired or segmented differently, so no rates are reported", icvChange,
                    AtrophyNorms.ICV_TOLERANCE_PCT), prior, years, icvChange, listed);
        }
        List<String> notes = new ArrayList<>();
        boolean rates = years >= AtrophyNorms.MIN_RATE_INTERVAL_YEARS;
        if (!rates) {
            notes.add(String.format(Locale.ROOT, "interval %.2f years is under %.1f: changes are given, annual rates "
                    + "are not", years, AtrophyNorms.MIN_RATE_INTERVAL_YEARS));
        }
        for (Followed f : FOLLOWED) {
            Double then = volume(prior, f.name());
            Double now = volume(current, f.name());
            if (then == null || now == null) {
                continue;
            }
            Double rate = rates && then > 0 ? 100 * (now - then) / then / years : null;
            String flag = rate != null && f.flagLossPct() != null && -rate >= f.flagLossPct()
                    ? String.format(Locale.ROOT, "%s loss %.1f %%/year is beyond normal ageing (flagged from %.1f)",
                    f.label(), -rate, f.flagLossPct()) : null;
            listed.add(new ChangeSincePrior.VolumeChange(f.name(), f.label(), f.concept(), then, now, now - then, rate,
                    flag, f.normal()));
        }
        ChangeSincePrior.LesionChange lesions = null;
        Optional<StudyMeasurements.Value> countThen = prior.get("lesion", "count");
        Optional<StudyMeasurements.Value> countNow = current.get("lesion", "count");
        Optional<StudyMeasurements.Value> totalThen = prior.get("lesion", "total_volume_ml");
        Optional<StudyMeasurements.Value> totalNow = current.get("lesion", "total_volume_ml");
        if (countThen.isPresent() && countNow.isPresent() && totalThen.isPresent() && totalNow.isPresent()) {
            int then = (int) Math.round(countThen.get().value());
            int now = (int) Math.round(countNow.get().value());
            lesions = new ChangeSincePrior.LesionChange(then, now, Math.max(0, now - then), totalThen.get().value(),
                    totalNow.get().value(), totalNow.get().value() - totalThen.get().value());
            notes.add("new lesions are the increase in the lesion count; lesions are not matched between the studies");
        }
        Optional<StudyMeasurements.Value> shiftThen = prior.get("midline", "shift_mm");
        Optional<StudyMeasurements.Value> shiftNow = current.get("midline", "shift_mm");
        Double shiftChange = shiftThen.isPresent() && shiftNow.isPresent()
                ? shiftNow.get().value() - shiftThen.get().value() : null;
        return new ChangeSincePrior(ChangeSincePrior.Status.COMPARED, null, prior.studyInstanceUid(),
                prior.studyDate().toString(), years, icvChange, listed, lesions, shiftChange, notes);
    }

    /** A volume by the comparison's name: whole brain is grey plus white matter. */
    static Double volume(StudyMeasurements s, String name) {
        if (name.equals("whole_brain")) {
            Optional<StudyMeasurements.Value> grey = s.get("mci", "grey_matter_ml");
            Optional<StudyMeasurements.Value> white = s.get("mci", "white_matter_ml");
            return grey.isPresent() && white.isPresent() ? grey.get().value() + white.get().value() : null;
        }
        return s.get("mci", name + "_ml").map(StudyMeasurements.Value::value).orElse(null);
    }

    private static Double percentChange(Double then, Double now) {
        return then == null || now == null || then <= 0 ? null : 100 * (now - then) / then;
    }

    private static double years(StudyMeasurements prior, StudyMeasurements current) {
        return ChronoUnit.DAYS.between(prior.studyDate(), current.studyDate()) / 365.2425;
    }

    /** The first compared measurement whose model differs between the studies, in words. */
    static Optional<String> modelDifference(StudyMeasurements current, StudyMeasurements prior) {
        for (String[] key : COMPARED_KEYS) {
            Optional<StudyMeasurements.Value> now = current.get(key[0], key[1]);
            Optional<StudyMeasurements.Value> then = prior.get(key[0], key[1]);
            if (now.isPresent() && then.isPresent() && !now.get().method().equals(then.get().method())) {
                return Optional.of(key[0] + "." + key[1] + " came from " + then.get().method() + " then and from "
                        + now.get().method() + " now");
            }
        }
        return Optional.empty();
    }

    private static boolean sharesAMeasurement(StudyMeasurements current, StudyMeasurements prior) {
        return COMPARED_KEYS.stream().anyMatch(k -> current.get(k[0], k[1]).isPresent() && prior.get(k[0], k[1]).isPresent());
    }
}
