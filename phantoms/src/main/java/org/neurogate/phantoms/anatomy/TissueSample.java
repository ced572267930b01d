package org.neurogate.phantoms.anatomy;

/** What lies at one point: a fraction per tissue (partial volume) and the stroke lesion's share. */
public final class TissueSample {
    public final double[] fraction = new double[Tissue.ALL.length];
    /** Share of the point inside a lesion's core (ADC well below 620). */
    public double lesionCore;
    /** Share inside a lesion but outside its core (penumbra-like, ADC 620-800). */
    public double lesionPenumbra;

    void clear() {
        java.util.Arrays.fill(fraction, 0);
        lesionCore = 0;
        lesionPenumbra = 0;
    }

    /** The tissue with the largest share: the label of a voxel centred here. */
    public Tissue dominant() {
        int best = 0;
        for (int t = 1; t < fraction.length; t++) {
            if (fraction[t] > fraction[best]) {
                best = t;
            }
        }
        return fraction[best] < 0.5 && fraction[0] >= 0.5 ? Tissue.BACKGROUND : Tissue.ALL[best];
    }

    public double lesion() {
        return lesionCore + lesionPenumbra;
    }
}
