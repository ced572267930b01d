package org.neurogate.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.volume.Volume;

/**
 * Where on the source images a viewer can place each key finding: the outline of a label on the source
 * image (or enhanced frame) that shows most of it, and the midline shift as a line on the image through
 * the septum. Coordinates are the image's own pixels, as SR SCOORDs need, so viewers that show neither
 * SEG nor volumes (OHIF's TID 1500 panel) can still draw them.
 */
public final class ImageRegions {

    /**
     * One region on one source image.
     *
     * @param graphicType POLYLINE (an outline is closed: its first point repeated last) or POINT
     * @param points      column, row pairs (SCOORD pixel coordinates)
     */
    public record Region(SourceSeries.SourceImage image, String graphicType, float[] points) {
        public Region {
            points = points.clone();
        }

        @Override
        public float[] points() {
            return points.clone();
        }
    }

    private ImageRegions() {
    }

    /**
     * The outline of the voxels labelled with any of {@code labels} on the source image that holds most
     * of them; null when there are none or the source lacks geometry.
     */
    public static Region outline(Volume labelMap, SourceSeries source, int... labels) {
        Map<SourceSeries.SourceImage, List<double[]>> byImage = new LinkedHashMap<>();
        SourceSeries.SourceImage first = source.images().get(0);
        double[] normal = first.normal();
        if (normal == null) {
            return null;
        }
        double spacing = sliceSpacing(source, normal);
        float[] v = labelMap.voxels();
        for (int k = 0; k < labelMap.nz(); k++) {
            for (int j = 0; j < labelMap.ny(); j++) {
                for (int i = 0; i < labelMap.nx(); i++) {
                    int label = Math.round(v[labelMap.index(i, j, k)]);
                    if (!contains(labels, label)) {
                        continue;
                    }
                    double[] p = labelMap.voxelToPatient(i, j, k);
                    SourceSeries.SourceImage image = source.imageAt(p, normal, spacing);
                    double[] pixel = image == null ? null : image.pixel(p);
                    if (pixel != null) {
                        byImage.computeIfAbsent(image, x -> new ArrayList<>()).add(pixel);
                    }
                }
            }
        }
        return byImage.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> polygon(e.getKey(), e.getValue())).orElse(null);
    }

    /**
     * The midline shift as a line from the mid-sagittal plane to the septum, on the source image through
     * the septum; a point where the line runs through the image (a sagittal acquisition). Null when no
     * shift was measured.
     */
    public static Region midlineShift(Findings.Midline midline, SourceSeries source) {
        if (midline == null || midline.shiftMm() == null || midline.septumCentreLps() == null) {
            return null;
        }
        SourceSeries.SourceImage first = source.images().get(0);
        double[] normal = first.normal();
        if (normal == null) {
            return null;
        }
        double[] s = midline.septumCentreLps();
        SourceSeries.SourceImage image = source.imageAt(s, normal, sliceSpacing(source, normal));
        if (image == null) {
            return null;
        }
        double[] n = midline.normalLps();
        double d = n[0] * s[0] + n[1] * s[1] + n[2] * s[2] - midline.offsetMm();
        double[] foot = {s[0] - d * n[0], s[1] - d * n[1], s[2] - d * n[2]};
        double[] a = image.pixel(foot);
        double[] b = image.pixel(s);
        if (Math.hypot(a[0] - b[0], a[1] - b[1]) < 1) {
            return new Region(image, "POINT", new float[] {(float) b[0], (float) b[1]});
        }
        return new Region(image, "POLYLINE", new float[] {(float) a[0], (float) a[1], (float) b[0], (float) b[1]});
    }

    /** The convex hull of the pixel centres as a closed polyline (SR has no POLYGON); a point for fewer than three distinct pixels. */
    static Region polygon(SourceSeries.SourceImage image, List<double[]> pixels) {
        List<double[]> hull = convexHull(pixels);
        if (hull.size() < 3) {
            double[] c = hull.get(0);
            return new Region(image, "POINT", new float[] {(float) c[0], (float) c[1]});
        }
        float[] points = new float[2 * hull.size() + 2];
        for (int i = 0; i < hull.size(); i++) {
            points[2 * i] = (float) hull.get(i)[0];
            points[2 * i + 1] = (float) hull.get(i)[1];
        }
        points[2 * hull.size()] = points[0];
        points[2 * hull.size() + 1] = points[1];
        return new Region(image, "POLYLINE", points);
    }

    /** Andrew's monotone chain: the hull's vertices counter-clockwise, without repeats. */
    static List<double[]> convexHull(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        List<double[]> unique = new ArrayList<>();
        for (double[] p : sorted) {
            if (unique.isEmpty() || Math.abs(unique.get(unique.size() - 1)[0] - p[0]) > 1e-6
                    || Math.abs(unique.get(unique.size() - 1)[1] - p[1]) > 1e-6) {
                unique.add(p);
            }
        }
        if (unique.size() < 3) {
            return unique;
        }
        double[][] hull = new double[2 * unique.size()][];
        int k = 0;
        for (double[] p : unique) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        for (int i = unique.size() - 2, lower = k + 1; i >= 0; i--) {
            double[] p = unique.get(i);
            while (k >= lower && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < k - 1; i++) {
            out.add(hull[i]);
        }
        return out;
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** Distance between neighbouring images along the normal (1 mm for a single image). */
    static double sliceSpacing(SourceSeries source, double[] normal) {
        double[] along = source.images().stream().mapToDouble(i -> {
            double[] p = i.position();
            return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
        }).sorted().distinct().toArray();
        double best = Double.MAX_VALUE;
        for (int i = 1; i < along.length; i++) {
            if (along[i] - along[i - 1] > 1e-3) {
                best = Math.min(best, along[i] - along[i - 1]);
            }
        }
        return best == Double.MAX_VALUE ? 1 : best;
    }

    private static boolean contains(int[] labels, int label) {
        for (int l : labels) {
            if (l == label) {
                return true;
            }
        }
        return false;
    }
}
