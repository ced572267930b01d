package org.neurogate.phantoms.dicom;

/**
 * How a series was "acquired": the MR attributes a scanner writes (PS3.3 C.8.3.1) and that series-role
 * rules read.
 *
 * @param inversionTime ms, or null for sequences without an inversion pulse
 */
public record SeriesProtocol(String seriesInstanceUid, int seriesNumber, String seriesDescription,
                             String imageType, String scanningSequence, String sequenceVariant,
                             String acquisitionType, double repetitionTime, double echoTime,
                             Double inversionTime, double flipAngle, String sequenceName) {
}
