package org.neurogate.phantoms;

/**
 * How the study is acquired and written.
 *
 * @param plane            plane of the 3D T1 series; FLAIR and diffusion are axial, as in routine protocols
 * @param obliqueDeg       tilt of every series' slices away from the pure plane
 * @param enhanced         write Enhanced MR multi-frame objects instead of one file per slice
 * @param transferSyntaxUid transfer syntax of the written files
 * @param snr              signal-to-noise ratio of white matter (Rician noise)
 */
public record AcquisitionOptions(Plane plane, double obliqueDeg, boolean enhanced, String transferSyntaxUid,
                                 double snr) {

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
    }

    public static AcquisitionOptions defaults() {
        return new AcquisitionOptions(Plane.SAGITTAL, 0, false, EXPLICIT_LITTLE_ENDIAN, 30);
    }
}
