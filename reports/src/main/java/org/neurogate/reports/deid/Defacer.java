package org.neurogate.reports.deid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.image.Components;
import org.neurogate.inference.image.Morphology;
import org.neurogate.inference.volume.Volume;

/**
 * Removes the face from head images, keeping the brain: a Quickshear-style cut (Schimke & Hale,
 * "Quickshear defacing for neuroimages", HealthSec 2011). The brain mask is projected onto the
 * sagittal plane; of the edges of its convex hull that face forwards and downwards, the one nearest to
 * the anterior-inferior diagonal becomes a plane; everything more than a margin beyond it (eyes, nose,
 * mouth, chin) is set to zero. The hull contains the whole brain (the mask's largest connected part),
 * so no brain voxel is ever touched; only specks of the mask apart from the brain can be.
 *
 * <p>The plane lives in patient coordinates, so it applies to every image in the mask's frame of
 * reference, whatever its grid or orientation.
 */
public final class Defacer {

    /** Points p (LPS, mm) with {@code normal · p > offset} are face. */
    public record FacePlane(double[] normal, double offset) {
        public FacePlane {
            normal = normal.clone();
        }

        public boolean isFace(double x, double y, double z) {
            return normal[0] * x + normal[1] * y + normal[2] * z > offset;
        }
    }

    /** A sagittal projection point: anterior (-y) and superior (z), in mm. */
    private record Point(double a, double s) {
    }

    private Defacer() {
    }

    /**
     * The face plane of a brain (or intracranial) mask: voxels with a label above 0 are brain.
     *
     * @throws IllegalArgumentException when the mask is empty
     */
    public static FacePlane plane(Volume mask, double marginMm) {
        boolean[] brain = brain(mask);
        // Only the top and bottom of each 1 mm column of the projection can be hull vertices.
        int bins = 1000;
        double[] lowS = new double[bins];
        double[] lowA = new double[bins];
        double[] highS = new double[bins];
        double[] highA = new double[bins];
        java.util.Arrays.fill(lowS, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(highS, Double.NEGATIVE_INFINITY);
        int nx = mask.nx();
        int ny = mask.ny();
        for (int k = 0; k < mask.nz(); k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    if (!brain[(k * ny + j) * nx + i]) {
                        continue;
                    }
                    double[] p = mask.voxelToPatient(i, j, k);
                    double a = -p[1];
                    double s = p[2];
                    int bin = (int) Math.floor(a) + bins / 2;
                    if (bin < 0 || bin >= bins) {
                        continue;
                    }
                    if (s < lowS[bin]) {
                        lowS[bin] = s;
                        lowA[bin] = a;
                    }
                    if (s > highS[bin]) {
                        highS[bin] = s;
                        highA[bin] = a;
                    }
                }
            }
        }
        List<Point> points = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (lowS[b] != Double.POSITIVE_INFINITY) {
                points.add(new Point(lowA[b], lowS[b]));
                points.add(new Point(highA[b], highS[b]));
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("the brain mask is empty: nothing to deface against");
        }
        List<Point> hull = hull(points);
        double diagonalA = Math.sqrt(0.5);
        double diagonalS = -Math.sqrt(0.5);
        double bestNa = diagonalA;
        double bestNs = diagonalS;
        double bestCos = -2;
        for (int e = 0; e < hull.size() && hull.size() > 2; e++) {
            Point p = hull.get(e);
            Point q = hull.get((e + 1) % hull.size());
            double na = q.s() - p.s();
            double ns = -(q.a() - p.a());
            double length = Math.hypot(na, ns);
            if (length < 1e-9) {
                continue;
            }
            na /= length;
            ns /= length;
            double cos = na * diagonalA + ns * diagonalS;
            if (na > 0 && ns < 0 && cos > bestCos) {
                bestCos = cos;
                bestNa = na;
                bestNs = ns;
            }
        }
        double offset = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            offset = Math.max(offset, bestNa * p.a() + bestNs * p.s());
        }
        // a = -y, s = z in LPS.
        return new FacePlane(new double[] {0, -bestNa, bestNs}, offset + marginMm);
    }

    /**
     * The brain the hull is drawn around: the mask's largest connected part, once opened. A segmentation
     * of a real head labels a few specks in the neck or the orbits; left in, they pull the hull, and so
     * the cut, into the face (on the ADNI T1 the cut fell below the chin).
     */
    static boolean[] brain(Volume mask) {
        int nx = mask.nx();
        int ny = mask.ny();
        int nz = mask.nz();
        float[] v = mask.voxels();
        boolean[] inside = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            inside[i] = v[i] > 0;
        }
        boolean[] eroded = Morphology.erode(inside, nx, ny, nz);
        Components.Labelled parts = Components.label(eroded, nx, ny, nz);
        int largest = 0;
        for (int c = 1; c <= parts.count(); c++) {
            if (largest == 0 || parts.sizes()[c] > parts.sizes()[largest]) {
                largest = c;
            }
        }
        if (largest == 0) {
            return inside;
        }
        boolean[] core = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            core[i] = parts.labels()[i] == largest;
        }
        boolean[] brain = Morphology.dilate(core, nx, ny, nz);
        for (int i = 0; i < v.length; i++) {
            brain[i] &= inside[i];
        }
        return brain;
    }

    /** Andrew's monotone chain: the convex hull, counter-clockwise in (a, s). */
    static List<Point> hull(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort((p, q) -> p.a() != q.a() ? Double.compare(p.a(), q.a()) : Double.compare(p.s(), q.s()));
        int n = sorted.size();
        Point[] h = new Point[2 * n];
        int k = 0;
        for (Point p : sorted) {
            while (k >= 2 && cross(h[k - 2], h[k - 1], p) <= 0) {
                k--;
            }
            h[k++] = p;
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--) {
            Point p = sorted.get(i);
            while (k >= lower && cross(h[k - 2], h[k - 1], p) <= 0) {
                k--;
            }
            h[k++] = p;
        }
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < Math.max(1, k - 1); i++) {
            out.add(h[i]);
        }
        return out;
    }

    private static double cross(Point o, Point a, Point b) {
        return (a.a() - o.a()) * (b.s() - o.s()) - (a.s() - o.s()) * (b.a() - o.a());
    }

    /**
     * Sets the face pixels of an image object (single- or multi-frame, 8 or 16 bits) to zero.
     *
     * @return how many pixels were zeroed
     * @throws DicomException when the object has no plane geometry to place its pixels
     */
    public static long deface(AttributeList image, FacePlane plane) throws DicomException {
        int rows = Attribute.getSingleIntegerValueOrDefault(image, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(image, TagFromName.Columns, 0);
        int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(image, TagFromName.NumberOfFrames, 1));
        int samples = Math.max(1, Attribute.getSingleIntegerValueOrDefault(image, TagFromName.SamplesPerPixel, 1));
        Attribute pixels = image.getPixelData();
        if (rows == 0 || columns == 0 || pixels == null) {
            return 0;
        }
        boolean words = Attribute.getSingleIntegerValueOrDefault(image, TagFromName.BitsAllocated, 16) > 8;
        short[] shorts = words ? pixels.getShortValues() : null;
        byte[] bytes = words ? null : pixels.getByteValues();
        long zeroed = 0;
        for (int f = 0; f < frames; f++) {
            double[] g = frameGeometry(image, f);
            int frameOffset = f * rows * columns * samples;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    // Pixel Spacing is row spacing \ column spacing; IOP is the row direction, then the column direction.
                    double x = g[0] + c * g[10] * g[3] + r * g[9] * g[6];
                    double y = g[1] + c * g[10] * g[4] + r * g[9] * g[7];
                    double z = g[2] + c * g[10] * g[5] + r * g[9] * g[8];
                    if (!plane.isFace(x, y, z)) {
                        continue;
                    }
                    for (int s = 0; s < samples; s++) {
                        int index = frameOffset + (r * columns + c) * samples + s;
                        if (words) {
                            shorts[index] = 0;
                        } else {
                            bytes[index] = 0;
                        }
                    }
                    zeroed++;
                }
            }
        }
        if (words) {
            pixels.setValues(shorts);
        } else {
            pixels.setValues(bytes);
        }
        return zeroed;
    }

    /** Position (3), orientation (6) and pixel spacing (row, column) of one frame. */
    private static double[] frameGeometry(AttributeList image, int frame) throws DicomException {
        double[] position = values(image, TagFromName.ImagePositionPatient);
        double[] orientation = values(image, TagFromName.ImageOrientationPatient);
        double[] spacing = values(image, TagFromName.PixelSpacing);
        if (position == null || orientation == null || spacing == null) {
            AttributeList shared = item(image, TagFromName.SharedFunctionalGroupsSequence, 0);
            AttributeList perFrame = item(image, TagFromName.PerFrameFunctionalGroupsSequence, frame);
            position = functional(perFrame, shared, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient);
            orientation = functional(perFrame, shared, TagFromName.PlaneOrientationSequence,
                    TagFromName.ImageOrientationPatient);
            spacing = functional(perFrame, shared, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing);
        }
        if (position == null || position.length < 3 || orientation == null || orientation.length < 6 || spacing == null
                || spacing.length < 2) {
            throw new DicomException("no image plane (position, orientation, pixel spacing) to deface frame " + (frame + 1));
        }
        return new double[] {position[0], position[1], position[2], orientation[0], orientation[1], orientation[2],
                orientation[3], orientation[4], orientation[5], spacing[0], spacing[1]};
    }

    private static double[] functional(AttributeList perFrame, AttributeList shared, AttributeTag macro, AttributeTag value)
            throws DicomException {
        for (AttributeList group : new AttributeList[] {perFrame, shared}) {
            AttributeList m = group == null ? null : item(group, macro, 0);
            double[] v = m == null ? null : values(m, value);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static AttributeList item(AttributeList list, AttributeTag sequence, int index) {
        Attribute a = list.get(sequence);
        if (a instanceof SequenceAttribute s && s.getNumberOfItems() > index) {
            return s.getItem(index).getAttributeList();
        }
        return null;
    }

    private static double[] values(AttributeList list, AttributeTag tag) throws DicomException {
        Attribute a = list.get(tag);
        return a == null || a.getVM() == 0 ? null : a.getDoubleValues();
    }
}
