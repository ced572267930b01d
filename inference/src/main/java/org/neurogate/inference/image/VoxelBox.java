package org.neurogate.inference.image;

import org.neurogate.inference.registration.AffineTransform;
import org.neurogate.inference.volume.Volume;

/**
 * A block of a voxel grid, half-open per axis: i in [i0, i1), j in [j0, j1), k in [k0, k1). The region
 * a model runs in: a network whose input is cropped to the head or the brain does the same work on a
 * fraction of a 256^3 grid.
 */
public record VoxelBox(int i0, int j0, int k0, int i1, int j1, int k1) {

    public VoxelBox {
        if (i1 < i0 || j1 < j0 || k1 < k0) {
            throw new IllegalArgumentException("a box ends before it starts: " + i0 + ".." + i1 + ", " + j0 + ".."
                    + j1 + ", " + k0 + ".." + k1);
        }
    }

    /** The whole grid. */
    public static VoxelBox of(Volume grid) {
        return new VoxelBox(0, 0, 0, grid.nx(), grid.ny(), grid.nz());
    }

    /** The tightest box holding every voxel above {@code level}; null when none is. */
    public static VoxelBox above(Volume v, float level) {
        int i0 = Integer.MAX_VALUE;
        int j0 = Integer.MAX_VALUE;
        int k0 = Integer.MAX_VALUE;
        int i1 = -1;
        int j1 = -1;
        int k1 = -1;
        float[] d = v.voxels();
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                int row = (k * v.ny() + j) * v.nx();
                int first = -1;
                int last = -1;
                for (int i = 0; i < v.nx(); i++) {
                    if (d[row + i] > level) {
                        first = first < 0 ? i : first;
                        last = i;
                    }
                }
                if (first >= 0) {
                    i0 = Math.min(i0, first);
                    i1 = Math.max(i1, last + 1);
                    j0 = Math.min(j0, j);
                    j1 = Math.max(j1, j + 1);
                    k0 = Math.min(k0, k);
                    k1 = Math.max(k1, k + 1);
                }
            }
        }
        return i1 < 0 ? null : new VoxelBox(i0, j0, k0, i1, j1, k1);
    }

    /**
     * Widened by {@code before} voxels below and {@code after} above on every axis (negative narrows),
     * kept on the grid.
     */
    public VoxelBox widened(int before, int after, Volume grid) {
        return clamped(i0 - before, j0 - before, k0 - before, i1 + after, j1 + after, k1 + after, grid);
    }

    private static VoxelBox clamped(int i0, int j0, int k0, int i1, int j1, int k1, Volume grid) {
        int a0 = Math.min(Math.max(i0, 0), grid.nx());
        int b0 = Math.min(Math.max(j0, 0), grid.ny());
        int c0 = Math.min(Math.max(k0, 0), grid.nz());
        return new VoxelBox(a0, b0, c0, Math.max(a0, Math.min(i1, grid.nx())), Math.max(b0, Math.min(j1, grid.ny())),
                Math.max(c0, Math.min(k1, grid.nz())));
    }

    /** The voxels in both boxes (an empty box when they do not meet). */
    public VoxelBox intersection(VoxelBox other) {
        int a0 = Math.max(i0, other.i0);
        int b0 = Math.max(j0, other.j0);
        int c0 = Math.max(k0, other.k0);
        return new VoxelBox(a0, b0, c0, Math.max(a0, Math.min(i1, other.i1)), Math.max(b0, Math.min(j1, other.j1)),
                Math.max(c0, Math.min(k1, other.k1)));
    }

    /**
     * The box holding this one's image under a spatial map of the grid onto itself (patient
     * coordinates): each voxel goes to the voxel its centre lands in, and the box is kept on the grid.
     * For an oblique map, more than the tightest box of the mapped voxels, never less: a voxel's
     * centre lands inside the hull of the mapped corner voxels' centres.
     */
    public VoxelBox mapped(AffineTransform map, Volume grid) {
        if (isEmpty()) {
            return this;
        }
        long[] lo = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long[] hi = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        for (int corner = 0; corner < 8; corner++) {
            double[] p = grid.voxelToPatient((corner & 1) == 0 ? i0 : i1 - 1, (corner & 2) == 0 ? j0 : j1 - 1,
                    (corner & 4) == 0 ? k0 : k1 - 1);
            double[] q = map.apply(p[0], p[1], p[2]);
            double[] v = grid.patientToVoxel(q[0], q[1], q[2]);
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], Math.round(v[a]));
                hi[a] = Math.max(hi[a], Math.round(v[a]));
            }
        }
        return clamped(saturated(lo[0]), saturated(lo[1]), saturated(lo[2]), saturated(hi[0] + 1),
                saturated(hi[1] + 1), saturated(hi[2] + 1), grid);
    }

    private static int saturated(long v) {
        return (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, v));
    }

    public int width() {
        return i1 - i0;
    }

    public int height() {
        return j1 - j0;
    }

    public int depth() {
        return k1 - k0;
    }

    public long voxels() {
        return (long) width() * height() * depth();
    }

    public boolean isEmpty() {
        return voxels() == 0;
    }
}
