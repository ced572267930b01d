package org.neurogate.inference.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurogate.inference.volume.Volume;

/**
 * Stacks decoded frames into volumes: split by b-value, sorted along the slice normal, and checked.
 * One flipped axis or one missing slice makes every downstream number wrong while looking plausible,
 * so each check reports the numbers that failed it.
 */
public final class VolumeAssembler {

    /** Tolerances of the geometry checks. */
    public record Tolerances(double orientationCosine, double spacingFraction, double spacingMm, int minimumSlices) {
        public static Tolerances defaults() {
            // 1e-3 on direction cosines is about 0.06 degrees; spacing may vary by 2 % or 0.1 mm.
            return new Tolerances(1e-3, 0.02, 0.1, 5);
        }
    }

    private final Tolerances tolerances;

    public VolumeAssembler(Tolerances tolerances) {
        this.tolerances = tolerances;
    }

    /** Reads and assembles one series; never throws for bad input. */
    public List<SeriesVolume> assemble(List<java.nio.file.Path> files) {
        SeriesReader.ReadSeries series;
        try {
            series = SeriesReader.read(files);
        } catch (QcException e) {
            return List.of(new SeriesVolume.NotAnalysable(null, null, e.failure()));
        }
        return assemble(series.attributes(), series.frames());
    }

    public List<SeriesVolume> assemble(SeriesAttributes attributes, List<DicomFrame> frames) {
        Map<Double, List<DicomFrame>> byB = new LinkedHashMap<>();
        for (DicomFrame f : frames) {
            // Philips writes 0.004 for b=0; round to whole s/mm^2.
            Double b = f.bValue() == null ? null : (double) Math.round(f.bValue());
            byB.computeIfAbsent(b, k -> new ArrayList<>()).add(f);
        }
        List<SeriesVolume> volumes = new ArrayList<>();
        boolean diffusion = byB.size() > 1;
        for (Map.Entry<Double, List<DicomFrame>> group : byB.entrySet()) {
            Double b = diffusion || isDiffusion(attributes) ? group.getKey() : null;
            try {
                volumes.add(stack(attributes, b, group.getValue()));
            } catch (QcException e) {
                volumes.add(new SeriesVolume.NotAnalysable(attributes, b, e.failure()));
            }
        }
        return volumes;
    }

    private static boolean isDiffusion(SeriesAttributes a) {
        return "DIFFUSION".equals(a.acquisitionContrast()) || a.imageType().contains("DIFFUSION");
    }

    private SeriesVolume.Analysable stack(SeriesAttributes attributes, Double b, List<DicomFrame> frames)
            throws QcException {
        DicomFrame first = frames.get(0);
        for (DicomFrame f : frames) {
            if (f.rows() != first.rows() || f.columns() != first.columns()) {
                throw new QcException(QcFailure.Reason.MIXED_MATRIX, first.columns() + "x" + first.rows() + " and "
                        + f.columns() + "x" + f.rows());
            }
            double worst = 0;
            for (int c = 0; c < 6; c++) {
                worst = Math.max(worst, Math.abs(f.orientation()[c] - first.orientation()[c]));
            }
            if (worst > tolerances.orientationCosine()) {
                throw new QcException(QcFailure.Reason.MIXED_ORIENTATIONS, "ImageOrientationPatient "
                        + Arrays.toString(first.orientation()) + " and " + Arrays.toString(f.orientation())
                        + " differ by up to " + String.format(Locale.ROOT, "%.4f", worst));
            }
        }
        double[] row = unit(first.orientation(), 0);
        double[] column = unit(first.orientation(), 3);
        // IOP is written to a few decimals: make the column exactly orthogonal to the row (Gram-Schmidt).
        double along = dot(column, row);
        column = unit(new double[] {column[0] - along * row[0], column[1] - along * row[1], column[2] - along * row[2]}, 0);
        double[] normal = cross(row, column);
        // Frames at the same position (diffusion directions at one b-value) are averaged into one slice.
        List<DicomFrame> sorted = new ArrayList<>(frames);
        sorted.sort(Comparator.comparingDouble(f -> dot(f.position(), normal)));
        List<List<DicomFrame>> slices = new ArrayList<>();
        for (DicomFrame f : sorted) {
            if (!slices.isEmpty()) {
                List<DicomFrame> last = slices.get(slices.size() - 1);
                if (Math.abs(dot(f.position(), normal) - dot(last.get(0).position(), normal)) < 1e-3) {
                    last.add(f);
                    continue;
                }
            }
            slices.add(new ArrayList<>(List.of(f)));
        }
        int perSlice = slices.get(0).size();
        for (List<DicomFrame> s : slices) {
            if (s.size() != perSlice) {
                throw new QcException(QcFailure.Reason.MISSING_SLICES, "slice positions hold " + perSlice + " and "
                        + s.size() + " frames");
            }
        }
        if (slices.size() < tolerances.minimumSlices()) {
            throw new QcException(QcFailure.Reason.TOO_FEW_SLICES, slices.size() + " slice position(s), at least "
                    + tolerances.minimumSlices() + " needed for a volume");
        }
        double[] gaps = new double[slices.size() - 1];
        for (int k = 0; k < gaps.length; k++) {
            gaps[k] = dot(slices.get(k + 1).get(0).position(), normal) - dot(slices.get(k).get(0).position(), normal);
        }
        double[] ordered = gaps.clone();
        Arrays.sort(ordered);
        double spacing = ordered[ordered.length / 2];
        double allowed = Math.max(tolerances.spacingMm(), tolerances.spacingFraction() * spacing);
        for (int k = 0; k < gaps.length; k++) {
            if (gaps[k] > 1.5 * spacing) {
                throw new QcException(QcFailure.Reason.MISSING_SLICES, String.format(Locale.ROOT,
                        "gap of %.3f mm after slice %d where the spacing is %.3f mm (about %d slice(s) missing)",
                        gaps[k], k + 1, spacing, Math.round(gaps[k] / spacing) - 1));
            }
            if (Math.abs(gaps[k] - spacing) > allowed) {
                throw new QcException(QcFailure.Reason.NON_UNIFORM_SLICE_SPACING, String.format(Locale.ROOT,
                        "spacing %.3f mm after slice %d differs from the median %.3f mm by more than %.3f mm",
                        gaps[k], k + 1, spacing, allowed));
            }
        }
        // The first slice's in-plane offset must agree with the stack: a slice moved sideways is not a volume.
        double[] origin = slices.get(0).get(0).position();
        for (int k = 1; k < slices.size(); k++) {
            double[] p = slices.get(k).get(0).position();
            double inPlane = Math.abs(dot(minus(p, origin), row)) + Math.abs(dot(minus(p, origin), column));
            if (inPlane > tolerances.spacingMm()) {
                throw new QcException(QcFailure.Reason.MIXED_ORIENTATIONS, String.format(Locale.ROOT,
                        "slice %d is displaced %.3f mm within the image plane; the stack is not straight", k + 1, inPlane));
            }
        }
        int nx = first.columns();
        int ny = first.rows();
        int n = nx * ny;
        float[] voxels = new float[n * slices.size()];
        for (int k = 0; k < slices.size(); k++) {
            List<DicomFrame> s = slices.get(k);
            for (DicomFrame f : s) {
                float[] px = f.pixels();
                for (int v = 0; v < n; v++) {
                    voxels[k * n + v] += px[v] / s.size();
                }
            }
        }
        double[] direction = {row[0], column[0], normal[0], row[1], column[1], normal[1], row[2], column[2], normal[2]};
        Volume volume = new Volume(voxels, nx, ny, slices.size(),
                new double[] {first.columnSpacing(), first.rowSpacing(), spacing}, direction, origin);
        return new SeriesVolume.Analysable(attributes, b, volume, perSlice);
    }

    private static double[] unit(double[] v, int offset) {
        double n = Math.sqrt(v[offset] * v[offset] + v[offset + 1] * v[offset + 1] + v[offset + 2] * v[offset + 2]);
        return new double[] {v[offset] / n, v[offset + 1] / n, v[offset + 2] / n};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }
}
