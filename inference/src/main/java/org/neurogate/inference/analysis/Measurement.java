package org.neurogate.inference.analysis;

import java.util.List;

/**
 * One number a radiologist reads: coded, with its UCUM unit, the model or algorithm that produced it,
 * the series it was measured on, and any QC flags that qualify it.
 *
 * @param name  a stable key (for example {@code total_volume_ml}) used in findings.json and the database
 * @param unit  UCUM: {@code ml}, {@code mm}, {@code deg}, {@code a}, {@code %}, {@code 1} (ratio or count)
 */
public record Measurement(String analysis, String name, CodedConcept concept, double value, String unit, ModelUse method,
                          String sourceSeriesUid, List<String> qcFlags) {
    public Measurement {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(analysis + "." + name + " is not a finite number: " + value);
        }
        if (unit == null || unit.isBlank() || concept == null || method == null) {
            throw new IllegalArgumentException(analysis + "." + name + " needs a concept, a UCUM unit and a method");
        }
        qcFlags = qcFlags == null ? List.of() : List.copyOf(qcFlags);
    }
}
