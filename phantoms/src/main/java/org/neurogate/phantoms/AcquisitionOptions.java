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
 * @param diffusionSnr     SNR of the DWI and ADC series (white matter on b0, about twice its SNR on the
 *                         b=1000 trace); 0 takes {@code snr}. Stroke protocols run fast EPI: a trace SNR of
 *                         10-20 is common where the 3D T1 has 30 and more
 * @param skullStrippedDiffusion DWI and ADC zero outside the intracranial tissues, as research exports
 *                         (ISLES) come
 */
public record AcquisitionOptions(Plane plane, double obliqueDeg, boolean enhanced, String transferSyntaxUid,
                                 double snr, double sliceThicknessMm, double sliceGapMm, double diffusionSnr,
                                 boolean skullStrippedDiffusion) {

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
        if (!(diffusionSnr >= 0 && diffusionSnr <= 1000)) {
            throw new IllegalArgumentException("diffusion SNR must be in [0, 1000], was " + diffusionSnr);
        }
    }

    public AcquisitionOptions(Plane plane, double obliqueDeg, boolean enhanced, String transferSyntaxUid, double snr,
                              double sliceThicknessMm, double sliceGapMm) {
        this(plane, obliqueDeg, enhanced, transferSyntaxUid, snr, sliceThicknessMm, sliceGapMm, 0, false);
    }

    /** The SNR the DWI and ADC series are written with. */
    public double snrOfDiffusion() {
        return diffusionSnr > 0 ? diffusionSnr : snr;
    }

    public AcquisitionOptions(Plane plane, double obliqueDeg, boolean enhanced, String transferSyntaxUid, double snr) {
        this(plane, obliqueDeg, enhanced, transferSyntaxUid, snr, 0, 0);
    }

    public static AcquisitionOptions defaults() {
        return new AcquisitionOptions(Plane.SAGITTAL, 0, false, EXPLICIT_LITTLE_ENDIAN, 30);
    }
}
