package org.neurogate.reports.render;

import org.neurogate.inference.volume.Volume;

/**
 * Where the pixels of a stack of display slices lie in the patient: pixel (c, r) of slice k is at
 * {@code origin + c * pixelSpacing * column + r * pixelSpacing * row + k * sliceSpacing * normal}. The
 * stack covers a volume's whole extent whatever its acquisition orientation, so a sagittal 3D T1 shows
 * in axial and coronal planes too.
 *
 * @param originLps    patient position of pixel (0, 0) of slice 0, mm
 * @param pixelSpacing mm per pixel, the same along rows and columns
 */
public record SliceGeometry(DisplayPlane plane, double[] originLps, double pixelSpacing, double sliceSpacing, int width,
                            int height, int slices) {

    /** Display slices are drawn with at least this many pixels on their longer side. */
    static final int MIN_DISPLAY_PIXELS = 384;

    public SliceGeometry {
        originLps = originLps.clone();
        if (width < 1 || height < 1 || slices < 1 || !(pixelSpacing > 0) || !(sliceSpacing > 0)) {
            throw new IllegalArgumentException("empty slice geometry");
        }
    }

    @Override
    public double[] originLps() {
        return originLps.clone();
    }

    /**
     * The stack covering {@code volume} in {@code plane}: slices as far apart as the volume's voxels are
     * along the plane's normal (its own slices, for an acquisition in that plane), pixels no larger than
     * its finest voxel and at least {@value #MIN_DISPLAY_PIXELS} to the longer side.
     */
    public static SliceGeometry covering(Volume volume, DisplayPlane plane) {
        double[] u = plane.column();
        double[] v = plane.row();
        double[] w = plane.normal();
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int corner = 0; corner < 8; corner++) {
            double[] p = volume.voxelToPatient((corner & 1) == 0 ? 0 : volume.nx() - 1,
                    (corner & 2) == 0 ? 0 : volume.ny() - 1, (corner & 4) == 0 ? 0 : volume.nz() - 1);
            double[] d = {dot(p, u), dot(p, v), dot(p, w)};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], d[a]);
                hi[a] = Math.max(hi[a], d[a]);
            }
        }
        double[] spacing = volume.spacing();
        double finest = Math.min(spacing[0], Math.min(spacing[1], spacing[2]));
        // Slice spacing: the voxel axis closest to the display normal sets it.
        int along = 0;
        double best = -1;
        for (int a = 0; a < 3; a++) {
            double c = Math.abs(dot(volume.axis(a), w));
            if (c > best) {
                best = c;
                along = a;
            }
        }
        double sliceSpacing = spacing[along];
        double extent = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
        double pixel = Math.min(finest, extent / (MIN_DISPLAY_PIXELS - 1));
        int width = (int) Math.floor((hi[0] - lo[0]) / pixel + 1e-6) + 1;
        int height = (int) Math.floor((hi[1] - lo[1]) / pixel + 1e-6) + 1;
        int slices = (int) Math.floor((hi[2] - lo[2]) / sliceSpacing + 1e-6) + 1;
        double[] origin = new double[3];
        for (int a = 0; a < 3; a++) {
            origin[a] = lo[0] * u[a] + lo[1] * v[a] + lo[2] * w[a];
        }
        return new SliceGeometry(plane, origin, pixel, sliceSpacing, width, height, slices);
    }

    /** Patient position of the centre of pixel (c, r) of slice k. */
    public double[] patient(double c, double r, double k) {
        double[] u = plane.column();
        double[] v = plane.row();
        double[] w = plane.normal();
        double[] p = new double[3];
        for (int a = 0; a < 3; a++) {
            p[a] = originLps[a] + c * pixelSpacing * u[a] + r * pixelSpacing * v[a] + k * sliceSpacing * w[a];
        }
        return p;
    }

    /** Continuous (column, row, slice) of a patient position. */
    public double[] pixel(double[] lps) {
        double[] d = {lps[0] - originLps[0], lps[1] - originLps[1], lps[2] - originLps[2]};
        return new double[] {dot(d, plane.column()) / pixelSpacing, dot(d, plane.row()) / pixelSpacing,
            dot(d, plane.normal()) / sliceSpacing};
    }

    /** The nearest slice to a patient position, clamped to the stack. */
    public int sliceThrough(double[] lps) {
        return Math.max(0, Math.min(slices - 1, (int) Math.round(pixel(lps)[2])));
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
