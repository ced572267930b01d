package org.neurogate.phantoms;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.neurogate.phantoms.anatomy.HeadAnatomy;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.anatomy.TissueSample;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Samples the anatomy on a series grid and turns it into MR signal: partial-volume mixing of tissue
 * signals, a smooth multiplicative bias field, and Rician noise (magnitude of complex Gaussian noise)
 * at a chosen SNR relative to white matter. Slices render in parallel; every random number comes
 * from a generator seeded by (seed, role, slice), so the result does not depend on thread count.
 */
public final class PhantomRenderer {

    /** ADC inside a lesion core and in its penumbra-like rim, 10^-6 mm^2/s. */
    static final double CORE_ADC = 480;
    static final double PENUMBRA_ADC = 710;
    /** ADC below this is ischaemic core (the clinical threshold, e.g. Purushotham et al., Int J Stroke 2015). */
    public static final double CORE_THRESHOLD_ADC = 620;
    static final double LESION_T1 = 700;
    static final double LESION_FLAIR = 880;
    static final double LESION_B0 = 1150;
    private static final int B_VALUE = 1000;
    private static final int MAX_STORED = 4095;

    private final HeadAnatomy anatomy;
    private final long seed;
    private final double snr;
    private final double diffusionSnr;
    private final boolean skullStrippedDiffusion;
    private final double[] bias;

    public PhantomRenderer(HeadAnatomy anatomy, double snr) {
        this(anatomy, snr, snr, false);
    }

    /**
     * @param diffusionSnr           SNR of the DWI and ADC series
     * @param skullStrippedDiffusion DWI and ADC zero outside the intracranial tissues
     */
    public PhantomRenderer(HeadAnatomy anatomy, double snr, double diffusionSnr, boolean skullStrippedDiffusion) {
        if (!(snr > 0)) {
            throw new IllegalArgumentException("SNR must be > 0, was " + snr);
        }
        this.anatomy = anatomy;
        this.seed = anatomy.subject().seed();
        if (!(diffusionSnr > 0)) {
            throw new IllegalArgumentException("diffusion SNR must be > 0, was " + diffusionSnr);
        }
        this.snr = snr;
        this.diffusionSnr = diffusionSnr;
        this.skullStrippedDiffusion = skullStrippedDiffusion;
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.bias = new double[] {random.nextDouble(-0.06, 0.06), random.nextDouble(-0.06, 0.06),
            random.nextDouble(-0.06, 0.06), random.nextDouble(-0.04, 0.04)};
    }

    public RenderedSeries render(SeriesRole role, ImageGrid grid) {
        int n = grid.voxelCount();
        short[] frames = new short[role == SeriesRole.DWI ? 2 * n : n];
        byte[] labels = new byte[n];
        byte[] lesion = new byte[n];
        double blur = Math.cbrt(grid.columnSpacing() * grid.rowSpacing() * grid.sliceThickness());
        int perSlice = grid.columns() * grid.rows();
        IntStream.range(0, grid.slices()).parallel().forEach(k -> {
            TissueSample sample = new TissueSample();
            SplittableRandom noise = new SplittableRandom(seed * 1_000_003L + role.ordinal() * 10_007L + k);
            for (int j = 0; j < grid.rows(); j++) {
                for (int i = 0; i < grid.columns(); i++) {
                    Vec3 p = grid.voxelToPatient(i, j, k);
                    anatomy.sample(p.x(), p.y(), p.z(), blur, sample);
                    int index = k * perSlice + j * grid.columns() + i;
                    labels[index] = (byte) sample.dominant().label;
                    double trueAdc = adc(sample);
                    if (sample.lesion() >= 0.5) {
                        lesion[index] = (byte) (trueAdc < CORE_THRESHOLD_ADC ? 1 : 2);
                    }
                    double gain = biasAt(p);
                    switch (role) {
                        case T1 -> frames[index] = magnitude(gain * mix(sample, Tissue.WHITE_MATTER, LESION_T1, 0),
                                Tissue.WHITE_MATTER.t1, noise);
                        case FLAIR -> frames[index] = magnitude(gain * mix(sample, Tissue.WHITE_MATTER, LESION_FLAIR, 1),
                                Tissue.WHITE_MATTER.flair, noise);
                        case DWI, ADC -> {
                            double s0 = gain * mix(sample, Tissue.WHITE_MATTER, LESION_B0, 2);
                            double s1000 = s0 * Math.exp(-B_VALUE * trueAdc * 1e-6);
                            double sigma = Tissue.WHITE_MATTER.b0 / diffusionSnr;
                            boolean stripped = skullStrippedDiffusion && !sample.dominant().intracranial();
                            double m0 = stripped ? 0 : rician(s0, sigma, noise);
                            double m1000 = stripped ? 0 : rician(s1000, sigma, noise);
                            if (role == SeriesRole.DWI) {
                                frames[index] = clip(m0);
                                frames[n + index] = clip(m1000);
                            } else {
                                frames[index] = clip(adcFrom(m0, m1000, sigma));
                            }
                        }
                        default -> throw new IllegalStateException("unknown role " + role);
                    }
                }
            }
        });
        return new RenderedSeries(role, grid, frames, labels, lesion,
                role == SeriesRole.DWI ? new int[] {0, B_VALUE} : new int[0]);
    }

    /** Signal of the tissue mixture in one contrast (0 T1, 1 FLAIR, 2 b=0), the lesion blended over it. */
    private static double mix(TissueSample s, Tissue reference, double lesionSignal, int contrast) {
        double signal = 0;
        for (Tissue t : Tissue.ALL) {
            double share = s.fraction[t.ordinal()];
            if (share > 0) {
                signal += share * (contrast == 0 ? t.t1 : contrast == 1 ? t.flair : t.b0);
            }
        }
        double lesion = s.lesion();
        return lesion > 0 ? (1 - lesion) * signal + lesion * lesionSignal : signal;
    }

    /** The noise-free ADC: tissue ADCs mixed by share, the lesion's core and rim blended over them. */
    static double adc(TissueSample s) {
        double adc = 0;
        for (Tissue t : Tissue.ALL) {
            adc += s.fraction[t.ordinal()] * t.adc;
        }
        double lesion = s.lesion();
        if (lesion > 0) {
            double lesionAdc = (s.lesionCore * CORE_ADC + s.lesionPenumbra * PENUMBRA_ADC) / lesion;
            adc = (1 - lesion) * adc + lesion * lesionAdc;
        }
        return adc;
    }

    /** ADC as a scanner computes it from the two trace images; zero where there is no signal to fit. */
    private static double adcFrom(double s0, double s1000, double sigma) {
        if (s0 < 5 * sigma || s1000 <= 0) {
            return 0;
        }
        return Math.min(4000, Math.max(0, Math.log(s0 / s1000) / B_VALUE * 1e6));
    }

    private short magnitude(double signal, double whiteMatterSignal, SplittableRandom noise) {
        return clip(rician(signal, whiteMatterSignal / snr, noise));
    }

    static double rician(double signal, double sigma, SplittableRandom noise) {
        double re = signal + sigma * noise.nextGaussian();
        double im = sigma * noise.nextGaussian();
        return Math.sqrt(re * re + im * im);
    }

    /** A smooth bias field of a few per cent across the head, the same for every series of the subject. */
    private double biasAt(Vec3 p) {
        double x = p.x() / 100;
        double y = p.y() / 100;
        double z = p.z() / 100;
        return 1 + bias[0] * x + bias[1] * y + bias[2] * z + bias[3] * (x * x + y * y);
    }

    private static short clip(double value) {
        long v = Math.round(value);
        return (short) (v < 0 ? 0 : Math.min(v, MAX_STORED));
    }
}
