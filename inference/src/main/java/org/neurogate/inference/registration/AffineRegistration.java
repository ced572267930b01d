package org.neurogate.inference.registration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.neurogate.inference.volume.Volume;

/**
 * Twelve-parameter affine registration of a moving image to a fixed one (a subject's skull-stripped
 * T1 to a template brain), after FLIRT (Jenkinson &amp; Smith, Med Image Anal 2001): the correlation
 * ratio as the cost, Powell's method, and a pyramid from coarse to fine. The start is the centres of
 * mass and the brain-volume ratio; at the coarsest level a grid of rotations up to ±30° of pitch and
 * ±15° of roll and yaw guards against a local minimum, then each finer level refines all twelve.
 *
 * <p>Both images are expected with zero outside the brain: the background is a bin of its own, so
 * the brain's outline registers as well as its inner contrast. Samples mapped outside the moving image
 * read zero, as its background does.
 */
public final class AffineRegistration {

    /**
     * @param levelsMm        the pyramid, coarse to fine; each level samples the fixed image on this
     *                        grid step and blurs both images to about it
     * @param bins            fixed-intensity bins of the correlation ratio (one more holds the background)
     * @param maxSamples      at most this many fixed points per level, drawn on a regular sub-grid
     * @param leverArmMm      the radius at which a unit rotation, scale or shear parameter moves a point
     *                        by 1 mm; it puts all twelve on the same footing for the optimiser
     */
    public record Settings(double[] levelsMm, int bins, int maxSamples, double leverArmMm) {

        /** 8, 4, 2 and 1 mm as FLIRT; 64 bins; 300,000 points; a 60 mm lever arm (a brain's radius). */
        public static final Settings DEFAULT = new Settings(new double[] {8, 4, 2, 1}, 64, 300_000, 60);

        public Settings {
            if (levelsMm.length == 0 || Arrays.stream(levelsMm).anyMatch(l -> !(l > 0))) {
                throw new IllegalArgumentException("levels must be positive millimetres: " + Arrays.toString(levelsMm));
            }
            if (bins < 2 || maxSamples < 1000 || !(leverArmMm > 0)) {
                throw new IllegalArgumentException("bins >= 2, maxSamples >= 1000 and a positive lever arm are needed");
            }
            levelsMm = levelsMm.clone();
        }
    }

    /**
     * @param fixedToMoving    maps fixed-image patient coordinates to the moving image's
     * @param correlationRatio the final level's correlation ratio, 0 (unrelated) to 1 (a function of
     *                         the template's intensity)
     * @param evaluations      cost evaluations over all levels
     */
    public record Result(AffineTransform fixedToMoving, double correlationRatio, int evaluations) {
    }

    private static final int ROTATION = 3;
    private static final int SCALE = 6;
    private static final int SHEAR = 9;

    private final Settings settings;

    public AffineRegistration(Settings settings) {
        this.settings = settings;
    }

    public Result register(Volume fixed, Volume moving) {
        double[] fixedCentre = centreOfMass(fixed);
        double[] movingCentre = centreOfMass(moving);
        double volumeRatio = brainVolume(moving) / brainVolume(fixed);
        if (!(volumeRatio > 0)) {
            throw new IllegalArgumentException("the moving image has no brain (no voxel above zero)");
        }
        double r = settings.leverArmMm();
        double[] p = new double[12];
        for (int a = 0; a < 3; a++) {
            p[a] = movingCentre[a] - fixedCentre[a];
            p[SCALE + a] = Math.log(Math.cbrt(volumeRatio)) * r;
        }
        int evaluations = 0;
        double ratio = 0;
        double[] levels = settings.levelsMm();
        for (int level = 0; level < levels.length; level++) {
            double mm = levels[level];
            Cost cost = new Cost(fixed, moving, fixedCentre, mm, settings);
            if (level == 0) {
                p = searchRotations(cost, p);
                evaluations += cost.evaluations;
            }
            // The coarsest level fits a similarity (rigid and one scale); the rest all twelve.
            boolean similarity = level == 0 && levels.length > 1;
            double[] q = similarity ? new double[] {p[0], p[1], p[2], p[3], p[4], p[5], p[6]} : p;
            double[] shape = p;
            Powell powell = new Powell(x -> cost.at(similarity ? expand(x, shape) : x),
                    Math.max(0.02, 0.05 * mm), 1e-5, 12);
            double[] steps = new double[q.length];
            Arrays.fill(steps, Math.max(1, mm / 2));
            q = powell.minimise(q, steps);
            p = similarity ? expand(q, p) : q;
            ratio = 1 - powell.value();
            evaluations += cost.evaluations;
        }
        return new Result(transform(fixedCentre, p, r), ratio, evaluations);
    }

    /** Rigid-and-scale parameters (7) spread into the twelve: one scale for all axes, no shear. */
    private static double[] expand(double[] q, double[] template) {
        double[] p = template.clone();
        System.arraycopy(q, 0, p, 0, 6);
        p[SCALE] = q[6];
        p[SCALE + 1] = q[6];
        p[SCALE + 2] = q[6];
        for (int a = 0; a < 3; a++) {
            p[SHEAR + a] = 0;
        }
        return p;
    }

    /** Each start on a pitch/roll/yaw grid, translation optimised; the best start wins. */
    private double[] searchRotations(Cost cost, double[] start) {
        double r = settings.leverArmMm();
        List<double[]> starts = new ArrayList<>();
        for (double pitch = -30; pitch <= 30; pitch += 15) {
            for (double roll = -15; roll <= 15; roll += 15) {
                for (double yaw = -15; yaw <= 15; yaw += 15) {
                    double[] p = start.clone();
                    p[ROTATION] = Math.toRadians(pitch) * r;
                    p[ROTATION + 1] = Math.toRadians(roll) * r;
                    p[ROTATION + 2] = Math.toRadians(yaw) * r;
                    starts.add(p);
                }
            }
        }
        record Scored(double[] p, double cost) {
        }
        List<Scored> scored = new ArrayList<>();
        for (double[] s : starts) {
            Powell powell = new Powell(t -> cost.at(new double[] {t[0], t[1], t[2], s[3], s[4], s[5], s[6], s[7], s[8],
                s[9], s[10], s[11]}), 0.5, 1e-4, 3);
            double[] t = powell.minimise(new double[] {s[0], s[1], s[2]}, new double[] {4, 4, 4});
            double[] p = s.clone();
            System.arraycopy(t, 0, p, 0, 3);
            scored.add(new Scored(p, powell.value()));
        }
        return scored.stream().min(Comparator.comparingDouble(Scored::cost)).orElseThrow().p();
    }

    static AffineTransform transform(double[] centre, double[] p, double leverArm) {
        return AffineTransform.of(centre, new double[] {p[0], p[1], p[2]},
                new double[] {p[ROTATION] / leverArm, p[ROTATION + 1] / leverArm, p[ROTATION + 2] / leverArm},
                new double[] {Math.exp(p[SCALE] / leverArm), Math.exp(p[SCALE + 1] / leverArm),
                    Math.exp(p[SCALE + 2] / leverArm)},
                new double[] {p[SHEAR] / leverArm, p[SHEAR + 1] / leverArm, p[SHEAR + 2] / leverArm});
    }

    private static double[] centreOfMass(Volume v) {
        double[] sum = new double[3];
        double weight = 0;
        float[] d = v.voxels();
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++) {
                    float w = d[v.index(i, j, k)];
                    if (w > 0) {
                        sum[0] += w * i;
                        sum[1] += w * j;
                        sum[2] += w * k;
                        weight += w;
                    }
                }
            }
        }
        if (weight == 0) {
            throw new IllegalArgumentException("an image with no voxel above zero has no brain to register");
        }
        return v.voxelToPatient(sum[0] / weight, sum[1] / weight, sum[2] / weight);
    }

    private static double brainVolume(Volume v) {
        long n = 0;
        for (float x : v.voxels()) {
            n += x > 0 ? 1 : 0;
        }
        return n * v.voxelVolumeMm3();
    }

    /**
     * One pyramid level's cost: the fixed image's points on this level's grid with their intensity
     * bins, the moving image block-averaged to about the level's voxel size, and 1 − correlation ratio
     * of the moving intensities given the fixed bins (Roche et al., MICCAI 1998).
     */
    private static final class Cost {

        private final float[] px;
        private final float[] py;
        private final float[] pz;
        private final int[] bin;
        private final int bins;
        private final Volume moving;
        private final double[] centre;
        private final double leverArm;
        int evaluations;

        Cost(Volume fixed, Volume movingFull, double[] centre, double levelMm, Settings settings) {
            this.centre = centre;
            this.leverArm = settings.leverArmMm();
            this.bins = settings.bins() + 1;
            Volume smoothFixed = blockAverage(fixed, levelMm);
            this.moving = blockAverage(movingFull, levelMm);
            long all = (long) smoothFixed.nx() * smoothFixed.ny() * smoothFixed.nz();
            int stride = 1;
            while (all / ((long) stride * stride * stride) > settings.maxSamples()) {
                stride++;
            }
            float max = 0;
            for (float x : smoothFixed.voxels()) {
                max = Math.max(max, x);
            }
            List<float[]> points = new ArrayList<>();
            for (int k = 0; k < smoothFixed.nz(); k += stride) {
                for (int j = 0; j < smoothFixed.ny(); j += stride) {
                    for (int i = 0; i < smoothFixed.nx(); i += stride) {
                        double[] w = smoothFixed.voxelToPatient(i, j, k);
                        points.add(new float[] {(float) w[0], (float) w[1], (float) w[2], smoothFixed.get(i, j, k)});
                    }
                }
            }
            int n = points.size();
            px = new float[n];
            py = new float[n];
            pz = new float[n];
            bin = new int[n];
            for (int i = 0; i < n; i++) {
                float[] q = points.get(i);
                px[i] = q[0];
                py[i] = q[1];
                pz[i] = q[2];
                bin[i] = q[3] <= 0 ? 0 : 1 + Math.min(settings.bins() - 1, (int) (settings.bins() * q[3] / max));
            }
        }

        double at(double[] p) {
            evaluations++;
            AffineTransform t = transform(centre, p, leverArm);
            // Fixed patient → moving voxel, one 3 × 4 matrix.
            double[] m = t.matrix();
            double[] o = moving.origin();
            double[] s = moving.spacing();
            double[] d = moving.direction();
            double[] v = new double[12];
            for (int axis = 0; axis < 3; axis++) {
                for (int c = 0; c < 4; c++) {
                    double x = 0;
                    for (int row = 0; row < 3; row++) {
                        x += d[row * 3 + axis] * (m[row * 4 + c] - (c == 3 ? o[row] : 0));
                    }
                    v[axis * 4 + c] = x / s[axis];
                }
            }
            int chunks = 16;
            int n = px.length;
            double[][] partial = IntStream.range(0, chunks).parallel().mapToObj(c -> {
                double[] acc = new double[3 * bins];
                for (int i = c * n / chunks; i < (c + 1) * n / chunks; i++) {
                    double x = px[i];
                    double y = py[i];
                    double z = pz[i];
                    double value = sample(v[0] * x + v[1] * y + v[2] * z + v[3], v[4] * x + v[5] * y + v[6] * z + v[7],
                            v[8] * x + v[9] * y + v[10] * z + v[11]);
                    int b = bin[i];
                    acc[3 * b]++;
                    acc[3 * b + 1] += value;
                    acc[3 * b + 2] += value * value;
                }
                return acc;
            }).toArray(double[][]::new);
            double count = 0;
            double sum = 0;
            double squares = 0;
            double within = 0;
            for (int b = 0; b < bins; b++) {
                double nb = 0;
                double sb = 0;
                double qb = 0;
                for (double[] acc : partial) {
                    nb += acc[3 * b];
                    sb += acc[3 * b + 1];
                    qb += acc[3 * b + 2];
                }
                if (nb > 0) {
                    within += qb - sb * sb / nb;
                }
                count += nb;
                sum += sb;
                squares += qb;
            }
            double total = squares - sum * sum / count;
            return total <= 1e-12 ? 1 : within / total;
        }

        private double sample(double x, double y, double z) {
            int nx = moving.nx();
            int ny = moving.ny();
            int nz = moving.nz();
            if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) {
                return 0;
            }
            int i = Math.min((int) x, nx - 2);
            int j = Math.min((int) y, ny - 2);
            int k = Math.min((int) z, nz - 2);
            double fx = x - i;
            double fy = y - j;
            double fz = z - k;
            float[] d = moving.voxels();
            int a = (k * ny + j) * nx + i;
            int plane = nx * ny;
            double c00 = d[a] + fx * (d[a + 1] - d[a]);
            double c10 = d[a + nx] + fx * (d[a + nx + 1] - d[a + nx]);
            double c01 = d[a + plane] + fx * (d[a + plane + 1] - d[a + plane]);
            double c11 = d[a + plane + nx] + fx * (d[a + plane + nx + 1] - d[a + plane + nx]);
            double c0 = c00 + fy * (c10 - c00);
            double c1 = c01 + fy * (c11 - c01);
            return c0 + fz * (c1 - c0);
        }
    }

    /**
     * The image averaged over blocks of about {@code mm} on each axis (a box blur and a decimation in
     * one), with its grid moved so each new voxel sits at the centre of its block.
     */
    static Volume blockAverage(Volume v, double mm) {
        double[] spacing = v.spacing();
        int[] f = new int[3];
        for (int a = 0; a < 3; a++) {
            f[a] = Math.max(1, (int) Math.round(mm / spacing[a]));
        }
        if (f[0] == 1 && f[1] == 1 && f[2] == 1) {
            return v;
        }
        int nx = Math.max(1, v.nx() / f[0]);
        int ny = Math.max(1, v.ny() / f[1]);
        int nz = Math.max(1, v.nz() / f[2]);
        float[] out = new float[nx * ny * nz];
        float[] d = v.voxels();
        IntStream.range(0, nz).parallel().forEach(k -> {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double sum = 0;
                    for (int c = 0; c < f[2]; c++) {
                        for (int b = 0; b < f[1]; b++) {
                            int row = ((k * f[2] + c) * v.ny() + j * f[1] + b) * v.nx() + i * f[0];
                            for (int a = 0; a < f[0]; a++) {
                                sum += d[row + a];
                            }
                        }
                    }
                    out[(k * ny + j) * nx + i] = (float) (sum / (f[0] * f[1] * f[2]));
                }
            }
        });
        double[] origin = v.voxelToPatient((f[0] - 1) / 2.0, (f[1] - 1) / 2.0, (f[2] - 1) / 2.0);
        return new Volume(out, nx, ny, nz, new double[] {spacing[0] * f[0], spacing[1] * f[1], spacing[2] * f[2]},
                v.direction(), origin);
    }
}
