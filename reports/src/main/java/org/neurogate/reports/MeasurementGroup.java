package org.neurogate.reports;

import java.util.List;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Measurement;

/**
 * One measurement group of the report (TID 1411 when it has a segment, TID 1501 otherwise): a
 * tracking identifier, what was found, the segment it measures, and its measurements.
 *
 * @param finding the group's finding (for example Infarct, Left hippocampus), or null
 * @param segment the SEG segment the measurements were made on, or null
 */
public record MeasurementGroup(String trackingIdentifier, String trackingUid, CodedConcept finding, SegmentReference segment,
                               String sourceSeriesUid, List<Measurement> measurements) {

    /** A segment of a stored SEG. */
    public record SegmentReference(String sopClassUid, String sopInstanceUid, int segmentNumber) {
        public SegmentReference {
            if (segmentNumber < 1) {
                throw new IllegalArgumentException("segment numbers start at 1, was " + segmentNumber);
            }
        }
    }

    public MeasurementGroup {
        if (trackingIdentifier == null || trackingIdentifier.isBlank() || trackingIdentifier.length() > 64) {
            throw new IllegalArgumentException("a measurement group needs a tracking identifier of 1-64 characters");
        }
        if (trackingUid == null || !trackingUid.matches("[0-9.]{1,64}")) {
            throw new IllegalArgumentException("tracking UID must be a DICOM UID, was " + trackingUid);
        }
        if (measurements == null || measurements.isEmpty()) {
            throw new IllegalArgumentException("measurement group '" + trackingIdentifier + "' has no measurements");
        }
        measurements = List.copyOf(measurements);
    }
}
