package org.neurogate.inference.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.volume.Volume;

/**
 * Acute ischaemic lesions from diffusion imaging: restricted diffusion is bright on the b=1000 trace
 * and dark on the ADC map. Requiring both keeps out T2 shine-through (bright on b=1000 with a normal
 * or high ADC, as in old white-matter lesions) and CSF (dark on b=1000). Thresholds are relative to
 * this scan's own normal parenchyma, so they carry across scanners and b=1000 scalings.
 *
 * @param mask      on the b=1000 grid: 0 none, 1 ischaemic core (ADC below {@link #CORE_ADC}), 2 rest of the lesion
 * @param lesions   every lesion, largest first
 * @param adcSource "scanner" when an ADC series was used, "computed from b0 and b1000" otherwise
 */
public record DiffusionLesions(Volume mask, List<Lesion> lesions, String adcSource) {

    /** Ischaemic core: ADC below 620 x 10^-6 mm^2/s (Purushotham et al., Int J Stroke 2015;10:348-353). */
    public static final double CORE_ADC = 620;
    /** b=1000 above this multiple of normal parenchyma marks a seed of restricted diffusion. */
    static final double SEED_RATIO = 1.5;
    /**
     * A lesion's edge may reach tissue of a slightly higher ADC than the median (grey matter, partial
     * volume): still well below shine-through, which has an ADC of 1.2 times normal and more.
     */
    static final double GROWTH_ADC_RATIO = 1.15;
    /** The smallest lesion reported: isolated voxels of noise are not infarcts. */
    static final double MIN_LESION_ML = 0.1;

    /** @param hemisphere "left" or "right" of the mid-sagittal plane, by the lesion's centroid */
    public record Lesion(double volumeMl, double coreVolumeMl, String hemisphere, double[] centroidPatient) {
        public Lesion {
            centroidPatient = centroidPatient.clone();
        }
    }

    public DiffusionLesions {
        lesions = List.copyOf(lesions);
    }

    public double totalVolumeMl() {
        return lesions.stream().mapToDouble(Lesion::volumeMl).sum();
    }

    public double coreVolumeMl() {
        return lesions.stream().mapToDouble(Lesion::coreVolumeMl).sum();
    }

    public double hemisphereVolumeMl(String side) {
        return lesions.stream().filter(l -> l.hemisphere().equals(side)).mapToDouble(Lesion::volumeMl).sum();
    }

    public double largestVolumeMl() {
        return lesions.isEmpty() ? 0 : lesions.get(0).volumeMl();
    }

    /** ADC in 10^-6 mm^2/s from the two trace images: ln(S0 / Sb) / b. */
    public static Volume computeAdc(Volume b0, Volume bHigh, double bValue) {
        float[] s0 = b0.voxels();
        float[] sb = bHigh.voxels();
        float[] adc = new float[s0.length];
        for (int i = 0; i < s0.length; i++) {
            adc[i] = s0[i] > 0 && sb[i] > 0 ? (float) Math.min(4000, Math.max(0, Math.log(s0[i] / sb[i]) / bValue * 1e6)) : 0;
        }
        return bHigh.withVoxels(adc);
    }

    /**
     * @param b0    b=0 volume (for the parenchyma mask), on any grid of the same patient
     * @param b1000 b=1000 trace: the lesion mask lives on this grid
     * @param adc   ADC in 10^-6 mm^2/s on any grid
     * @param plane the mid-sagittal plane, for each lesion's side
     */
    public static DiffusionLesions segment(Volume b0, Volume b1000, Volume adc, String adcSource, MidSagittalPlane plane) {
        Volume b0On = sameGrid(b0, b1000) ? b0 : Resampler.resample(b0, b1000.blank(), Interpolation.LINEAR);
        Volume adcOn = sameGrid(adc, b1000) ? adc : Resampler.resample(adc, b1000.blank(), Interpolation.LINEAR);
        float[] s0 = b0On.voxels();
        float[] s = b1000.voxels();
        float[] a = adcOn.voxels();
        int n = s.length;
        // Normal parenchyma: inside the head (b0 above Otsu), ADC in the range of grey and white matter.
        double headLevel = otsu(s0);
        float[] parenchymaB1000 = new float[n];
        float[] parenchymaAdc = new float[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (s0[i] > headLevel && a[i] > 400 && a[i] < 1200) {
                parenchymaB1000[m] = s[i];
                parenchymaAdc[m++] = a[i];
            }
        }
        if (m < 1000) {
            throw new IllegalArgumentException("too little parenchyma on the diffusion images (" + m + " voxels)");
        }
        double normalB1000 = median(Arrays.copyOf(parenchymaB1000, m));
        double normalAdc = median(Arrays.copyOf(parenchymaAdc, m));
        float[] adcSmooth = inPlaneMean(adcOn);
        // Seeds: clearly restricted diffusion. Then each lesion's edge at half its own rim's contrast.
        boolean[] seed = new boolean[n];
        for (int i = 0; i < n; i++) {
            seed[i] = s0[i] > headLevel && s[i] > SEED_RATIO * normalB1000 && adcSmooth[i] < normalAdc;
        }
        double lesionLevel = rimLevel(seed, s, b1000);
        double edge = Double.isNaN(lesionLevel) ? SEED_RATIO * normalB1000 : (normalB1000 + lesionLevel) / 2;
        boolean[] candidate = new boolean[n];
        for (int i = 0; i < n; i++) {
            candidate[i] = s0[i] > headLevel && s[i] > edge && adcSmooth[i] < GROWTH_ADC_RATIO * normalAdc;
        }
        Components.Labelled grown = Components.label(candidate, b1000.nx(), b1000.ny(), b1000.nz());
        boolean[] keep = new boolean[grown.count() + 1];
        for (int i = 0; i < n; i++) {
            if (seed[i] && grown.labels()[i] > 0) {
                keep[grown.labels()[i]] = true;
            }
        }
        double voxelMl = b1000.voxelVolumeMm3() / 1000;
        float[] mask = new float[n];
        double[][] sums = new double[grown.count() + 1][5]; // voxels, core voxels, x, y, z
        for (int k = 0; k < b1000.nz(); k++) {
            for (int j = 0; j < b1000.ny(); j++) {
                for (int i = 0; i < b1000.nx(); i++) {
                    int v = b1000.index(i, j, k);
                    int c = grown.labels()[v];
                    if (c == 0 || !keep[c] || grown.sizes()[c] * voxelMl < MIN_LESION_ML) {
                        continue;
                    }
                    boolean core = a[v] < CORE_ADC;
                    mask[v] = core ? 1 : 2;
                    double[] p = b1000.voxelToPatient(i, j, k);
                    sums[c][0]++;
                    sums[c][1] += core ? 1 : 0;
                    sums[c][2] += p[0];
                    sums[c][3] += p[1];
                    sums[c][4] += p[2];
                }
            }
        }
        List<Lesion> lesions = new ArrayList<>();
        for (double[] c : sums) {
            if (c[0] == 0) {
                continue;
            }
            double[] centroid = {c[2] / c[0], c[3] / c[0], c[4] / c[0]};
            String side = plane.distance(centroid[0], centroid[1], centroid[2]) >= 0 ? "left" : "right";
            lesions.add(new Lesion(c[0] * voxelMl, c[1] * voxelMl, side, centroid));
        }
        lesions.sort((x, y) -> Double.compare(y.volumeMl(), x.volumeMl()));
        return new DiffusionLesions(b1000.withVoxels(mask), lesions, adcSource);
    }

    /**
     * The b=1000 level of the lesions' outer zone: the lower quartile of the seed voxels away from
     * the seeds' border. A lesion's rim (ischaemic penumbra-like tissue) is less bright than its core,
     * and the true edge lies halfway between the rim and normal tissue.
     */
    private static double rimLevel(boolean[] seed, float[] s, Volume grid) {
        List<Float> inner = new ArrayList<>();
        for (int k = 0; k < grid.nz(); k++) {
            for (int j = 1; j < grid.ny() - 1; j++) {
                for (int i = 1; i < grid.nx() - 1; i++) {
                    int v = grid.index(i, j, k);
                    if (seed[v] && seed[v - 1] && seed[v + 1] && seed[v - grid.nx()] && seed[v + grid.nx()]) {
                        inner.add(s[v]);
                    }
                }
            }
        }
        if (inner.size() < 5) {
            return Double.NaN;
        }
        float[] values = new float[inner.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = inner.get(i);
        }
        Arrays.sort(values);
        return values[values.length / 10];
    }

    /** 3 x 3 in-plane mean: ADC noise is large voxel by voxel; slices are thick, so only in-plane. */
    private static float[] inPlaneMean(Volume v) {
        float[] d = v.voxels();
        float[] out = new float[d.length];
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++) {
                    double sum = 0;
                    int count = 0;
                    for (int dj = -1; dj <= 1; dj++) {
                        for (int di = -1; di <= 1; di++) {
                            int ii = i + di;
                            int jj = j + dj;
                            if (ii >= 0 && jj >= 0 && ii < v.nx() && jj < v.ny()) {
                                sum += d[v.index(ii, jj, k)];
                                count++;
                            }
                        }
                    }
                    out[v.index(i, j, k)] = (float) (sum / count);
                }
            }
        }
        return out;
    }

    static boolean sameGrid(Volume a, Volume b) {
        return a.nx() == b.nx() && a.ny() == b.ny() && a.nz() == b.nz() && Arrays.equals(a.origin(), b.origin())
                && Arrays.equals(a.direction(), b.direction()) && Arrays.equals(a.spacing(), b.spacing());
    }

    static double median(float[] values) {
        float[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Otsu's threshold over a 256-bin histogram of the positive values. */
    static double otsu(float[] values) {
        double max = 0;
        for (float x : values) {
            max = Math.max(max, x);
        }
        if (max <= 0) {
            return 0;
        }
        int bins = 256;
        long[] h = new long[bins];
        long total = 0;
        double sum = 0;
        for (float x : values) {
            if (x > 0) {
                int b = Math.min(bins - 1, (int) (x / max * bins));
                h[b]++;
                total++;
                sum += b;
            }
        }
        double sumB = 0;
        long wB = 0;
        double best = -1;
        int threshold = 0;
        for (int t = 0; t < bins; t++) {
            wB += h[t];
            if (wB == 0) {
                continue;
            }
            long wF = total - wB;
            if (wF == 0) {
                break;
            }
            sumB += (double) t * h[t];
            double mB = sumB / wB;
            double mF = (sum - sumB) / wF;
            double between = (double) wB * wF * (mB - mF) * (mB - mF);
            if (between > best) {
                best = between;
                threshold = t;
            }
        }
        return (threshold + 1) * max / bins;
    }
}
