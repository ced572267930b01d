package org.neurogate.inference.dicom;

/**
 * One decoded 2D frame with its geometry: a classic single-frame image, or one frame of an enhanced
 * multi-frame object.
 *
 * @param orientation ImageOrientationPatient: row direction then column direction
 * @param rowSpacing  distance between rows (PixelSpacing value 1)
 * @param columnSpacing distance between columns (PixelSpacing value 2)
 * @param pixels      rescaled values (slope and intercept applied), row by row
 * @param bValue      diffusion b-value in s/mm^2, or null
 */
public record DicomFrame(double[] position, double[] orientation, double rowSpacing, double columnSpacing,
                         int rows, int columns, float[] pixels, Double bValue) {
}
