package org.neurogate.phantoms;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.nifti.Nifti1;

/**
 * DWI and ADC of an acute infarct as real scans show it, drawn on a brain-extracted T1 (see
 * {@link DiffusionContrast}). Normal tissue takes the b0 (T2-weighted) signal and ADC of CSF, grey and
 * white matter, mixed by the T1's intensity; the trace is b0 exp(-b ADC). Inside the lesion the grade
 * g rises from 0 at the surface to 1 at {@link #CORE_DEPTH_MM} deep: the trace is (1.5 + 1.1 g) times
 * and the ADC (0.8 - 0.25 g) times that of the tissue it replaced, CSF counted as grey matter
 * (cytotoxic oedema fills the lesion).
 */
final class GradedDiffusion {

    private static final int B_VALUE = 1000;
    /** b0 signal (arbitrary units) and ADC (10^-6 mm^2/s) of CSF, grey matter, white matter. */
    private static final double[] B0 = {2000, 900, 700};
    private static final double[] ADC = {3000, 850, 700};
    static final double CORE_DEPTH_MM = 5;
    static final double RIM_TRACE_RATIO = 1.5;
    static final double CORE_TRACE_RATIO = 2.6;
    static final double RIM_ADC_RATIO = 0.8;
    static final double CORE_ADC_RATIO = 0.55;
    /** ISLES'22 and NeuroGate's core: ADC below 620 x 10^-6 mm^2/s. */
    private static final double CORE_ADC = 620;
    /** A scanner ADC comes from three or more diffusion directions: its noise is that of their mean. */
    private static final int DIRECTIONS = 3;

    private GradedDiffusion() {
    }

    /** DWI (b0 when asked, then b=1000) and the scanner's ADC on the T1 grid. */
    static RenderedSeries[] render(Nifti1.Volume t1, byte[] lesion, long seed, double snr, DiffusionContrast contrast) {
        ImageGrid grid = t1.grid();
        float[] t = t1.voxels();
        int n = lesion.length;
        float brainLevel = NiftiImport.brainLevel(t);
        float[] inBrain = new float[n];
        int m = 0;
        for (int v = 0; v < n; v++) {
            if (t[v] > brainLevel) {
                inBrain[m++] = t[v];
            }
        }
        float[] brainSorted = Arrays.copyOf(inBrain, m);
        Arrays.sort(brainSorted);
        double whiteLevel = brainSorted[(int) (m * 0.95)];
        double[] depth = depthMm(lesion, grid);
        double sigma = B0[2] * Math.exp(-B_VALUE * ADC[2] * 1e-6) / snr; // SNR of normal white matter on the trace
        SplittableRandom noise = new SplittableRandom(seed ^ 0x6EADL);
        boolean b0Written = contrast.withB0();
        short[] dwi = new short[(b0Written ? 2 : 1) * n];
        short[] adc = new short[n];
        byte[] truthMask = new byte[n];
        for (int v = 0; v < n; v++) {
            boolean brain = t[v] > brainLevel || lesion[v] != 0;
            double s0 = 0;
            double d = 0;
            if (brain) {
                double f = t[v] / whiteLevel;
                double csf = clamp((0.45 - f) / 0.2);
                double white = clamp((f - 0.7) / 0.2);
                double grey = 1 - csf - white;
                if (lesion[v] != 0) {
                    grey += csf;
                    csf = 0;
                }
                s0 = csf * B0[0] + grey * B0[1] + white * B0[2];
                d = csf * ADC[0] + grey * ADC[1] + white * ADC[2];
            }
            double trace = s0 * Math.exp(-B_VALUE * d * 1e-6);
            if (lesion[v] != 0) {
                double g = clamp(depth[v] / CORE_DEPTH_MM);
                double traceRatio = RIM_TRACE_RATIO + (CORE_TRACE_RATIO - RIM_TRACE_RATIO) * g;
                double adcRatio = RIM_ADC_RATIO + (CORE_ADC_RATIO - RIM_ADC_RATIO) * g;
                // Both follow from a lower ADC and a longer T2: the b0 takes what the ADC does not explain.
                double lesionAdc = d * adcRatio;
                double lesionTrace = trace * traceRatio;
                s0 = lesionTrace / Math.exp(-B_VALUE * lesionAdc * 1e-6);
                trace = lesionTrace;
                d = lesionAdc;
                truthMask[v] = (byte) (lesionAdc < CORE_ADC ? 1 : 2);
            }
            boolean zeroed = contrast.skullStripped() && !brain;
            double noisyB0 = zeroed ? 0 : PhantomRenderer.rician(s0, sigma, noise);
            double noisyTrace = zeroed ? 0 : PhantomRenderer.rician(trace, sigma, noise);
            if (b0Written) {
                dwi[v] = NiftiImport.clip(noisyB0);
                dwi[n + v] = NiftiImport.clip(noisyTrace);
            } else {
                dwi[v] = NiftiImport.clip(noisyTrace);
            }
            double adcNoise = brain && trace > 0
                    ? 1e6 / B_VALUE * Math.hypot(sigma / Math.max(s0, 1), sigma / Math.max(trace, 1)) / Math.sqrt(DIRECTIONS) : 0;
            adc[v] = brain ? NiftiImport.clip(Math.min(4000, d + adcNoise * noise.nextGaussian())) : 0;
        }
        byte[] none = new byte[n];
        int[] bValues = b0Written ? new int[] {0, B_VALUE} : new int[] {B_VALUE};
        return new RenderedSeries[] {
            new RenderedSeries(SeriesRole.DWI, grid, dwi, none, truthMask, bValues),
            new RenderedSeries(SeriesRole.ADC, grid, adc, none, truthMask, new int[0])};
    }

    /** Voxels of a rendered series' lesion mask that are core (ADC below 620). */
    static long coreVoxels(RenderedSeries series) {
        long core = 0;
        for (byte b : series.lesionMask()) {
            core += b == 1 ? 1 : 0;
        }
        return core;
    }

    /**
     * Each lesion voxel's depth below the lesion's surface in mm, by breadth-first layers from the
     * voxels outside (6-connected; each layer one in-plane voxel deep, which is what a 1-2 mm grid needs).
     */
    static double[] depthMm(byte[] lesion, ImageGrid grid) {
        int nx = grid.columns();
        int ny = grid.rows();
        int nz = grid.slices();
        int[] layer = new int[lesion.length];
        Arrays.fill(layer, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int v = 0; v < lesion.length; v++) {
            if (lesion[v] == 0) {
                continue;
            }
            int i = v % nx;
            int j = (v / nx) % ny;
            int k = v / (nx * ny);
            boolean surface = i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1
                    || lesion[v - 1] == 0 || lesion[v + 1] == 0 || lesion[v - nx] == 0 || lesion[v + nx] == 0
                    || lesion[v - nx * ny] == 0 || lesion[v + nx * ny] == 0;
            if (surface) {
                layer[v] = 0;
                queue.add(v);
            }
        }
        int[] steps = {1, -1, nx, -nx, nx * ny, -nx * ny};
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int step : steps) {
                int w = v + step;
                if (w >= 0 && w < lesion.length && lesion[w] != 0 && layer[w] < 0) {
                    layer[w] = layer[v] + 1;
                    queue.add(w);
                }
            }
        }
        double voxelMm = Math.min(grid.columnSpacing(), grid.rowSpacing());
        double[] depth = new double[lesion.length];
        for (int v = 0; v < lesion.length; v++) {
            depth[v] = layer[v] < 0 ? 0 : (layer[v] + 0.5) * voxelMm;
        }
        return depth;
    }


    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
