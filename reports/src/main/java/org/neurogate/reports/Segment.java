package org.neurogate.reports;

import org.neurogate.inference.analysis.CodedConcept;

/**
 * One segment of a SEG: the label values it takes from the label map (segments may overlap: a whole
 * infarct and its core), its name, and its coded category and type (CID 7150 / 7151), which the SR's
 * measurement groups repeat.
 */
public record Segment(java.util.Set<Integer> labelValues, String label, CodedConcept category, CodedConcept type) {
    public Segment {
        if (labelValues == null || labelValues.isEmpty() || labelValues.stream().anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("a segment takes one or more positive label values, was " + labelValues);
        }
        labelValues = java.util.Set.copyOf(labelValues);
        if (label == null || label.isBlank() || label.length() > 64) {
            throw new IllegalArgumentException("a segment label is a LO of 1-64 characters");
        }
        if (category == null || type == null) {
            throw new IllegalArgumentException("segment '" + label + "' needs a category and a type");
        }
    }

    public Segment(int labelValue, String label, CodedConcept category, CodedConcept type) {
        this(java.util.Set.of(labelValue), label, category, type);
    }

    boolean contains(float voxel) {
        return labelValues.contains(Math.round(voxel));
    }
}
