package org.neurogate.inference.volume;

import java.util.Arrays;

/**
 * A 3D image in patient LPS coordinates (PS3.3 C.7.6.2.1.1): float voxels indexed
 * {@code (k * ny + j) * nx + i}, voxel (i, j, k) centred at
 * {@code origin + i*sx*iAxis + j*sy*jAxis + k*sz*kAxis}.
 *
 * <p>{@code direction} holds the three unit axis vectors as columns, row-major:
 * {@code [iAxis.x, jAxis.x, kAxis.x, iAxis.y, jAxis.y, kAxis.y, iAxis.z, jAxis.z, kAxis.z]}. The axes are
 * orthonormal, so the inverse transform uses the transpose.
 */
public final class Volume {

    private final float[] voxels;
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;
    private final double[] direction;
    private final double[] origin;

    public Volume(float[] voxels, int nx, int ny, int nz, double[] spacing, double[] direction, double[] origin) {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("dimensions must be positive: " + nx + "x" + ny + "x" + nz);
        }
        if ((long) nx * ny * nz != voxels.length) {
            throw new IllegalArgumentException("dimensions " + nx + "x" + ny + "x" + nz + " need "
                    + (long) nx * ny * nz + " voxels, got " + voxels.length);
        }
        if (spacing.length != 3 || direction.length != 9 || origin.length != 3) {
            throw new IllegalArgumentException("spacing needs 3 values, direction 9, origin 3");
        }
        for (double s : spacing) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("spacing must be positive: " + Arrays.toString(spacing));
            }
        }
        checkOrthonormal(direction);
        this.voxels = voxels;
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.spacing = spacing.clone();
        this.direction = direction.clone();
        this.origin = origin.clone();
    }

    /** A volume of the same geometry holding other voxels (a label map or a model output, say). */
    public Volume withVoxels(float[] other) {
        return new Volume(other, nx, ny, nz, spacing, direction, origin);
    }

    /** An empty volume on the same grid. */
    public Volume blank() {
        return withVoxels(new float[voxels.length]);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int size() {
        return voxels.length;
    }

    /** The voxel array itself, not a copy: volumes are large, and stages hand them on. */
    public float[] voxels() {
        return voxels;
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public double[] direction() {
        return direction.clone();
    }

    public double[] origin() {
        return origin.clone();
    }

    public double voxelVolumeMm3() {
        return spacing[0] * spacing[1] * spacing[2];
    }

    public int index(int i, int j, int k) {
        return (k * ny + j) * nx + i;
    }

    public float get(int i, int j, int k) {
        return voxels[index(i, j, k)];
    }

    /** Patient (LPS, mm) position of continuous voxel coordinates (i, j, k). */
    public double[] voxelToPatient(double i, double j, double k) {
        double a = i * spacing[0];
        double b = j * spacing[1];
        double c = k * spacing[2];
        return new double[] {
            origin[0] + direction[0] * a + direction[1] * b + direction[2] * c,
            origin[1] + direction[3] * a + direction[4] * b + direction[5] * c,
            origin[2] + direction[6] * a + direction[7] * b + direction[8] * c};
    }

    /** Continuous voxel coordinates of a patient position. */
    public double[] patientToVoxel(double x, double y, double z) {
        double dx = x - origin[0];
        double dy = y - origin[1];
        double dz = z - origin[2];
        return new double[] {
            (direction[0] * dx + direction[3] * dy + direction[6] * dz) / spacing[0],
            (direction[1] * dx + direction[4] * dy + direction[7] * dz) / spacing[1],
            (direction[2] * dx + direction[5] * dy + direction[8] * dz) / spacing[2]};
    }

    /** Unit vector of voxel axis {@code axis} (0 = i, 1 = j, 2 = k) in patient coordinates. */
    public double[] axis(int axis) {
        return new double[] {direction[axis], direction[3 + axis], direction[6 + axis]};
    }

    private static void checkOrthonormal(double[] d) {
        for (int a = 0; a < 3; a++) {
            for (int b = a; b < 3; b++) {
                double dot = d[a] * d[b] + d[3 + a] * d[3 + b] + d[6 + a] * d[6 + b];
                double expected = a == b ? 1 : 0;
                if (Math.abs(dot - expected) > 1e-4) {
                    throw new IllegalArgumentException("direction axes must be orthonormal: " + Arrays.toString(d));
                }
            }
        }
    }
}
