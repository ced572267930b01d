package org.neurogate.phantoms;

/**
 * How an imported lesion mask is drawn on diffusion images.
 *
 * <p>{@link #FLAT} paints the whole mask at one infarct ADC on a uniform brain: a clean check of
 * geometry. {@code graded} draws what acute infarcts look like on real scans: a core much brighter on
 * the b=1000 trace (2.6 times normal) and darker on ADC (0.55 times normal) than its rim (1.5 times
 * and 0.8 times), the grade following the depth below the lesion's surface; grey matter, white matter
 * and CSF at their own b0, trace and ADC from the T1; Rician noise on both images.
 *
 * @param graded        core and rim on tissue-specific normal contrast, instead of one flat region
 * @param skullStripped zero outside the brain, as ISLES and many research exports come, instead of a
 *                      noisy background
 * @param withB0        write the b=0 volume beside the trace (many exports hold only the trace and ADC)
 */
public record DiffusionContrast(boolean graded, boolean skullStripped, boolean withB0) {

    public static final DiffusionContrast FLAT = new DiffusionContrast(false, false, true);
}
