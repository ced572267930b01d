package org.neurogate.inference.image;

/** Binary erosion and dilation with a 3 x 3 x 3 cube on an nx * ny * nz grid (outside counts as empty). */
public final class Morphology {

    private Morphology() {
    }

    public static boolean[] erode(boolean[] mask, int nx, int ny, int nz) {
        return apply(mask, nx, ny, nz, true);
    }

    public static boolean[] dilate(boolean[] mask, int nx, int ny, int nz) {
        return apply(mask, nx, ny, nz, false);
    }

    private static boolean[] apply(boolean[] mask, int nx, int ny, int nz, boolean erode) {
        boolean[] out = new boolean[mask.length];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int v = (k * ny + j) * nx + i;
                    if (erode != mask[v]) {
                        out[v] = mask[v]; // erosion keeps empty voxels empty; dilation keeps full ones full
                        continue;
                    }
                    boolean result = mask[v];
                    search:
                    for (int dk = -1; dk <= 1; dk++) {
                        for (int dj = -1; dj <= 1; dj++) {
                            for (int di = -1; di <= 1; di++) {
                                int ii = i + di;
                                int jj = j + dj;
                                int kk = k + dk;
                                boolean inside = ii >= 0 && jj >= 0 && kk >= 0 && ii < nx && jj < ny && kk < nz
                                        && mask[(kk * ny + jj) * nx + ii];
                                if (erode && !inside) {
                                    result = false;
                                    break search;
                                }
                                if (!erode && inside) {
                                    result = true;
                                    break search;
                                }
                            }
                        }
                    }
                    out[v] = result;
                }
            }
        }
        return out;
    }
}
