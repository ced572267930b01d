package org.neurogate.phantoms;

/**
 * How the study is acquired and written.
 *
 * @param plane            plane of the 3D T1 series; FLAIR and diffusion are axial, as in routine protocols
 * @param obliqueDeg       tilt of every series' slices away from the pure plane
 * @param enhanced         write Enhanced MR multi-frame objects instead of one file per slice
 * @param transferSyntaxUid transfer syntax of the written files
 * @param snr              signal-to-noise ratio of white matter (Rician noise)
 * @param sliceThicknessMm thickness of the 2D series (FLAIR, DWI, ADC); 0 keeps their defaults (5 and 4 mm)
 * @param sliceGapMm       gap between 2D slices: spacing is thickness plus gap
 */
public record AcquisitionOptions(Plane plane, double obliqueDeg, boolean enhanced, String transferSyntaxUid,
                                 double snr, double sliceThicknessMm, double sliceGapMm) {

    public enum Plane { SAGITTAL, AXIAL, CORONAL }

    public static final String EXPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

    public AcquisitionOptions {
        if (plane == null) {
            throw new IllegalArgumentException("plane is required");
        }
        if (Math.abs(obliqueDeg) > 30) {
            throw new IllegalArgumentException("obliquity must be within +-30 degrees, was " + obliqueDeg);
        }
        if (!(snr > 0 && snr <= 1000)) {
            throw new IllegalArgumentException("SNR must be in (0, 1000], was " + snr);
        }
        if (sliceThicknessMm < 0 || sliceThicknessMm > 10 || (sliceThicknessMm > 0 && sliceThicknessMm < 1)) {
            throw new IllegalArgumentException("slice thickness must be 1..10 mm, was " + sliceThicknessMm);
        }
        if (sliceGapMm < 0 || sliceGapMm > 10) {
            throw new IllegalArgumentException("slice gap must be 0..10 mm, was " + sliceGapMm);
        }
    }

    public AcquisitionOptions(Plane plane, double obliqueDeg, boolean enhanced, String transferSyntaxUid, double snr) {
        this(plane, obliqueDeg, enhanced, transferSyntaxUid, snr, 0, 0);
    }

    public static AcquisitionOptions defaults() {
        return new AcquisitionOptions(Plane.SAGITTAL, 0, false, EXPLICIT_LITTLE_ENDIAN, 30);
    }
}
