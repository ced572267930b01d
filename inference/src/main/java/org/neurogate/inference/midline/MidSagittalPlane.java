package org.neurogate.inference.midline;

import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.volume.Volume;

/**
 * The mid-sagittal plane: {@code n . p = offset} in patient (LPS) coordinates, with the unit normal
 * pointing to the patient's left. Yaw is the normal's rotation about the patient z axis and roll its
 * tilt out of the axial plane: {@code n = (cos yaw cos roll, sin yaw cos roll, -sin roll)}.
 */
public record MidSagittalPlane(double[] normal, double offsetMm) {

    public MidSagittalPlane {
        double norm = Math.sqrt(normal[0] * normal[0] + normal[1] * normal[1] + normal[2] * normal[2]);
        if (!(Math.abs(norm - 1) < 1e-6)) {
            throw new IllegalArgumentException("the plane's normal must be a unit vector, |n| = " + norm);
        }
        if (normal[0] < 0) {
            throw new IllegalArgumentException("the normal must point to the patient's left (n.x >= 0)");
        }
        normal = normal.clone();
    }

    @Override
    public double[] normal() {
        return normal.clone();
    }

    public static MidSagittalPlane fromAngles(double yawDeg, double rollDeg, double offsetMm) {
        double yaw = Math.toRadians(yawDeg);
        double roll = Math.toRadians(rollDeg);
        return new MidSagittalPlane(new double[] {Math.cos(yaw) * Math.cos(roll), Math.sin(yaw) * Math.cos(roll),
            -Math.sin(roll)}, offsetMm);
    }

    public double yawDeg() {
        return Math.toDegrees(Math.atan2(normal[1], normal[0]));
    }

    public double rollDeg() {
        return Math.toDegrees(Math.asin(-normal[2]));
    }

    /** Signed distance of a patient point from the plane, positive on the patient's left. */
    public double distance(double x, double y, double z) {
        return normal[0] * x + normal[1] * y + normal[2] * z - offsetMm;
    }

    /** Angle in degrees between this plane and another (between their normals, sign ignored). */
    public double angleTo(double[] otherNormal) {
        double dot = Math.abs(normal[0] * otherNormal[0] + normal[1] * otherNormal[1] + normal[2] * otherNormal[2]);
        double norm = Math.sqrt(otherNormal[0] * otherNormal[0] + otherNormal[1] * otherNormal[1]
                + otherNormal[2] * otherNormal[2]);
        return Math.toDegrees(Math.acos(Math.min(1, dot / norm)));
    }

    /**
     * Finds the plane about which the head is most nearly its own mirror image: minimises a robust
     * (truncated quadratic) intensity difference between each intracranial point and its reflection,
     * over yaw, roll and offset. Truncation keeps a lesion or a shifted septum, which break symmetry
     * locally, from pulling the plane; the skull and the cortex, which a mass effect spares, hold it.
     *
     * @param image       any 3D head image on any grid and in any pose
     * @param mask        intracranial mask on the same grid as {@code image}
     * @param contrastStep the intensity difference above which a mismatch counts as an outlier
     */
    public static MidSagittalPlane estimate(Volume image, Volume mask, double contrastStep) {
        List<double[]> points = new ArrayList<>();
        double[] centroid = new double[3];
        float[] m = mask.voxels();
        int stride = 2;
        for (int k = 0; k < image.nz(); k += stride) {
            for (int j = 0; j < image.ny(); j += stride) {
                for (int i = 0; i < image.nx(); i += stride) {
                    if (m[image.index(i, j, k)] > 0.5f) {
                        double[] p = image.voxelToPatient(i, j, k);
                        points.add(new double[] {p[0], p[1], p[2], image.get(i, j, k)});
                        for (int a = 0; a < 3; a++) {
                            centroid[a] += p[a];
                        }
                    }
                }
            }
        }
        if (points.size() < 1000) {
            throw new IllegalArgumentException("too few intracranial voxels (" + points.size() + ") to find the midline");
        }
        for (int a = 0; a < 3; a++) {
            centroid[a] /= points.size();
        }
        Objective f = new Objective(image, points, centroid, contrastStep);
        // Coarse search over poses up to +-30 degrees, then a shrinking pattern search.
        double[] best = {0, 0, 0};
        double bestCost = Double.MAX_VALUE;
        for (double yaw = -30; yaw <= 30; yaw += 5) {
            for (double roll = -30; roll <= 30; roll += 5) {
                double cost = f.cost(yaw, roll, 0, 8);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new double[] {yaw, roll, 0};
                }
            }
        }
        double[] step = {2.5, 2.5, 2};
        int sparse = 4;
        bestCost = f.cost(best[0], best[1], best[2], sparse);
        while (step[0] > 0.01) {
            boolean improved = false;
            for (int p = 0; p < 3; p++) {
                for (int sign = -1; sign <= 1; sign += 2) {
                    double[] trial = best.clone();
                    trial[p] += sign * step[p];
                    double cost = f.cost(trial[0], trial[1], trial[2], sparse);
                    if (cost < bestCost) {
                        bestCost = cost;
                        best = trial;
                        improved = true;
                    }
                }
            }
            if (!improved) {
                if (sparse > 1 && step[0] < 0.4) {
                    sparse = 1; // the last refinements use every sampled point
                    bestCost = f.cost(best[0], best[1], best[2], sparse);
                    continue;
                }
                for (int p = 0; p < 3; p++) {
                    step[p] /= 2;
                }
            }
        }
        MidSagittalPlane around = fromAngles(best[0], best[1], 0);
        double[] n = around.normal();
        return new MidSagittalPlane(n, n[0] * centroid[0] + n[1] * centroid[1] + n[2] * centroid[2] + best[2]);
    }

    /** Mean truncated squared difference between points and their mirror images. */
    private record Objective(Volume image, List<double[]> points, double[] centroid, double contrastStep) {

        double cost(double yawDeg, double rollDeg, double shiftMm, int every) {
            double[] n = fromAngles(yawDeg, rollDeg, 0).normal();
            double d = n[0] * centroid[0] + n[1] * centroid[1] + n[2] * centroid[2] + shiftMm;
            double t2 = contrastStep * contrastStep;
            double sum = 0;
            int used = 0;
            for (int i = 0; i < points.size(); i += every) {
                double[] p = points.get(i);
                double s = 2 * (n[0] * p[0] + n[1] * p[1] + n[2] * p[2] - d);
                double[] ijk = image.patientToVoxel(p[0] - s * n[0], p[1] - s * n[1], p[2] - s * n[2]);
                if (ijk[0] < 0 || ijk[1] < 0 || ijk[2] < 0 || ijk[0] > image.nx() - 1 || ijk[1] > image.ny() - 1
                        || ijk[2] > image.nz() - 1) {
                    sum += t2;
                    used++;
                    continue;
                }
                double diff = p[3] - Resampler.linearAtPatient(image, p[0] - s * n[0], p[1] - s * n[1], p[2] - s * n[2]);
                sum += Math.min(diff * diff, t2);
                used++;
            }
            return sum / used;
        }
    }
}
