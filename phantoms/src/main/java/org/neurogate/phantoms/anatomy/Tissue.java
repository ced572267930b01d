package org.neurogate.phantoms.anatomy;

/**
 * Labels of the phantom's label maps ({@code truth/labels_<role>.nii.gz}) with each tissue's signal in
 * every contrast. Intensities are in arbitrary scanner units except ADC, in 10^-6 mm^2/s.
 *
 * <p>Contrast ordering follows textbook relaxation behaviour at 3 T: on T1-weighted images WM > GM > CSF;
 * on FLAIR GM > WM and CSF is suppressed; on b=0 (T2-weighted EPI) CSF > GM > WM. Normal-tissue ADC is
 * 700-900 and free water about 3000 (e.g. Helenius et al., AJNR 2002, 23:194-199).
 */
public enum Tissue {
    //               label  T1    FLAIR  B0     ADC
    BACKGROUND(0, 0, 0, 0, 0),
    SCALP(1, 700, 500, 250, 900),
    SKULL(2, 120, 80, 40, 0),
    CSF(3, 250, 90, 1800, 3000),
    GREY_MATTER(4, 560, 620, 850, 850),
    WHITE_MATTER(5, 820, 460, 650, 720),
    LATERAL_VENTRICLE(6, 250, 90, 1800, 3000),
    THIRD_VENTRICLE(7, 250, 90, 1800, 3000),
    DEEP_GREY_MATTER(8, 620, 560, 760, 780),
    HIPPOCAMPUS_LEFT(9, 580, 640, 880, 880),
    HIPPOCAMPUS_RIGHT(10, 580, 640, 880, 880),
    WHITE_MATTER_HYPERINTENSITY(11, 680, 950, 1100, 950);

    public final int label;
    public final double t1;
    public final double flair;
    public final double b0;
    public final double adc;

    Tissue(int label, double t1, double flair, double b0, double adc) {
        this.label = label;
        this.t1 = t1;
        this.flair = flair;
        this.b0 = b0;
        this.adc = adc;
    }

    /** Tissues inside the skull's inner table: their label counts make up the intracranial volume. */
    public boolean intracranial() {
        return this != BACKGROUND && this != SCALP && this != SKULL;
    }

    public static final Tissue[] ALL = values();
}
