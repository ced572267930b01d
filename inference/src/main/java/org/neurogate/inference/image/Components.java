package org.neurogate.inference.image;

import java.util.ArrayList;
import java.util.List;

/** 3D connected components (26-connectivity) of a voxel mask on an nx * ny * nz grid. */
public final class Components {

    /** Component labels per voxel (0 = outside the mask, 1..count) and each component's voxel count. */
    public record Labelled(int[] labels, int count, int[] sizes) {
    }

    private Components() {
    }

    public static Labelled label(boolean[] mask, int nx, int ny, int nz) {
        int[] labels = new int[mask.length];
        List<Integer> sizes = new ArrayList<>();
        int[] stack = new int[mask.length];
        int next = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            next++;
            int size = 0;
            int top = 0;
            stack[top++] = start;
            labels[start] = next;
            while (top > 0) {
                int v = stack[--top];
                size++;
                int i = v % nx;
                int j = (v / nx) % ny;
                int k = v / (nx * ny);
                for (int dk = -1; dk <= 1; dk++) {
                    int kk = k + dk;
                    if (kk < 0 || kk >= nz) {
                        continue;
                    }
                    for (int dj = -1; dj <= 1; dj++) {
                        int jj = j + dj;
                        if (jj < 0 || jj >= ny) {
                            continue;
                        }
                        for (int di = -1; di <= 1; di++) {
                            int ii = i + di;
                            if (ii < 0 || ii >= nx) {
                                continue;
                            }
                            int w = (kk * ny + jj) * nx + ii;
                            if (mask[w] && labels[w] == 0) {
                                labels[w] = next;
                                stack[top++] = w;
                            }
                        }
                    }
                }
            }
            sizes.add(size);
        }
        int[] s = new int[next + 1];
        for (int c = 1; c <= next; c++) {
            s[c] = sizes.get(c - 1);
        }
        return new Labelled(labels, next, s);
    }
}
