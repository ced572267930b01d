package org.neurogate.inference.longitudinal;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;

/**
 * One study's measurements as the comparison needs them: when it was scanned, and each value with the
 * model (id, version and pack) that made it, so values from other model versions are never compared.
 */
public record StudyMeasurements(String studyInstanceUid, LocalDate studyDate, List<Value> values) {

    /** A stored measurement; {@code method} is {@link org.neurogate.inference.analysis.ModelUse#toString()}. */
    public record Value(String analysis, String name, double value, String method) {
    }

    public StudyMeasurements {
        if (studyInstanceUid == null || studyInstanceUid.isBlank()) {
            throw new IllegalArgumentException("a study needs its Study Instance UID");
        }
        values = List.copyOf(values);
    }

    /** The measurements of a study just analysed. */
    public static StudyMeasurements of(Findings findings, LocalDate studyDate) {
        return new StudyMeasurements(findings.studyInstanceUid(), studyDate, findings.measurements().stream()
                .map(StudyMeasurements::value).toList());
    }

    static Value value(Measurement m) {
        return new Value(m.analysis(), m.name(), m.value(), m.method().toString());
    }

    public Optional<Value> get(String analysis, String name) {
        return values.stream().filter(v -> v.analysis().equals(analysis) && v.name().equals(name)).findFirst();
    }
}
