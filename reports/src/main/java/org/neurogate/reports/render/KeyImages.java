package org.neurogate.reports.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.neurogate.inference.volume.Volume;
import org.neurogate.reports.render.SliceRenderer.LabelStyle;

/**
 * The key images of a study report, chosen where the findings are: the infarct on the DWI b1000 and on
 * the ADC at the axial slice with the most lesion, both hippocampi on a coronal T1 slice through their
 * body, the mid-sagittal plane and the septum on an axial T1 slice with the measured shift drawn, and
 * white-matter hyperintensities on the FLAIR slice with the most of them. Shared by the web viewer and
 * the objects every PACS can show.
 */
public final class KeyImages {

    public static final LabelStyle CORE = new LabelStyle(1, "Ischaemic core", new Color(235, 30, 30));
    public static final LabelStyle INFARCT = new LabelStyle(2, "Infarct outside the core", new Color(255, 150, 0));
    public static final LabelStyle VENTRICLES = new LabelStyle(4, "Ventricles", new Color(200, 60, 220));
    public static final LabelStyle LEFT_HIPPOCAMPUS = new LabelStyle(5, "Left hippocampus", new Color(0, 140, 255));
    public static final LabelStyle RIGHT_HIPPOCAMPUS = new LabelStyle(6, "Right hippocampus", new Color(0, 220, 80));
    public static final LabelStyle WMH = new LabelStyle(1, "White-matter hyperintensity", new Color(255, 235, 0));
    static final Color PLANE = new Color(0, 230, 230);
    static final Color SHIFT = new Color(255, 235, 0);
    /** Overlays show the anatomy through them: 45 % colour, 55 % image. */
    public static final double OPACITY = 0.45;

    /** A label map of the analysis: the series it lies on and how its labels are drawn. */
    public enum LabelMapKind {
        LESION_MASK("lesion_mask", "DWI_B1000", List.of(CORE, INFARCT)),
        LABELS_T1("labels_t1", "T1", List.of(VENTRICLES, LEFT_HIPPOCAMPUS, RIGHT_HIPPOCAMPUS)),
        WMH_MASK("wmh_mask", "FLAIR", List.of(WMH));

        public final String fileName;
        public final String role;
        public final List<LabelStyle> styles;

        LabelMapKind(String fileName, String role, List<LabelStyle> styles) {
            this.fileName = fileName;
            this.role = role;
            this.styles = styles;
        }

        public static Optional<LabelMapKind> byFileName(String name) {
            for (LabelMapKind k : values()) {
                if (k.fileName.equals(name)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** The mid-sagittal plane ({@code normal . p = offset}) and the septum where the shift was measured. */
    public record Midline(double[] normalLps, double offsetMm, double[] septumCentreLps, Double shiftMm) {
    }

    /**
     * What the key images are drawn from.
     *
     * @param volumes   by series role (T1, FLAIR, DWI_B1000, ADC)
     * @param labelMaps by {@link LabelMapKind}
     * @param midline   null when the midline was not assessed
     */
    public record Study(Map<String, Volume> volumes, Map<LabelMapKind, Volume> labelMaps, Midline midline) {
    }

    /** A key image: its stable name, a title, the series role it shows and the slice. */
    public record KeyImage(String name, String title, String role, SliceRenderer.Slice slice) {
    }

    private KeyImages() {
    }

    /** The key images the study's findings call for, in reading order; none for what was not found. */
    public static List<KeyImage> choose(Study study, Map<String, float[]> intensitySamples) {
        List<KeyImage> out = new ArrayList<>();
        Volume lesion = study.labelMaps().get(LabelMapKind.LESION_MASK);
        Volume dwi = study.volumes().get("DWI_B1000");
        if (lesion != null && dwi != null) {
            SliceGeometry g = SliceGeometry.covering(dwi, DisplayPlane.AXIAL);
            int slice = busiestSlice(lesion, g, 1);
            if (slice >= 0) {
                List<LabelStyle> legend = List.of(CORE, INFARCT);
                out.add(image("infarct-dwi", "Infarct and core on DWI b1000", "DWI_B1000", dwi, g, slice,
                        window(intensitySamples, "DWI_B1000", dwi), new SliceRenderer.Overlay(lesion, legend, OPACITY),
                        List.of(), legend));
                Volume adc = study.volumes().get("ADC");
                if (adc != null) {
                    SliceGeometry ga = SliceGeometry.covering(adc, DisplayPlane.AXIAL);
                    int adcSlice = ga.sliceThrough(g.patient(g.width() / 2.0, g.height() / 2.0, slice));
                    out.add(image("infarct-adc", "Infarct and core on ADC", "ADC", adc, ga, adcSlice,
                            window(intensitySamples, "ADC", adc), new SliceRenderer.Overlay(lesion, legend, OPACITY),
                            List.of(), legend));
                }
            }
        }
        Volume labels = study.labelMaps().get(LabelMapKind.LABELS_T1);
        Volume t1 = study.volumes().get("T1");
        if (labels != null && t1 != null) {
            double[] centre = centroid(labels, LEFT_HIPPOCAMPUS.label(), RIGHT_HIPPOCAMPUS.label());
            if (centre != null) {
                SliceGeometry g = SliceGeometry.covering(t1, DisplayPlane.CORONAL);
                List<LabelStyle> legend = List.of(LEFT_HIPPOCAMPUS, RIGHT_HIPPOCAMPUS);
                out.add(image("hippocampi-coronal-t1", "Hippocampi on coronal T1", "T1", t1, g, g.sliceThrough(centre),
                        window(intensitySamples, "T1", t1), new SliceRenderer.Overlay(labels, legend, OPACITY), List.of(),
                        legend));
            }
        }
        if (t1 != null && study.midline() != null) {
            out.add(midline(t1, study.midline(), window(intensitySamples, "T1", t1)));
        }
        Volume wmh = study.labelMaps().get(LabelMapKind.WMH_MASK);
        Volume flair = study.volumes().get("FLAIR");
        if (wmh != null && flair != null) {
            SliceGeometry g = SliceGeometry.covering(flair, DisplayPlane.AXIAL);
            int slice = busiestSlice(wmh, g, WMH.label());
            if (slice >= 0) {
                out.add(image("wmh-flair", "White-matter hyperintensities on FLAIR", "FLAIR", flair, g, slice,
                        window(intensitySamples, "FLAIR", flair), new SliceRenderer.Overlay(wmh, List.of(WMH), OPACITY),
                        List.of(), List.of(WMH)));
            }
        }
        return out;
    }

    private static KeyImage midline(Volume t1, Midline m, Window window) {
        SliceGeometry g = SliceGeometry.covering(t1, DisplayPlane.AXIAL);
        double[] n = m.normalLps();
        int slice;
        if (m.septumCentreLps() != null) {
            slice = g.sliceThrough(m.septumCentreLps());
        } else {
            slice = g.slices() / 2;
        }
        List<SliceRenderer.Line> lines = new ArrayList<>();
        // The plane's trace on the slice: where n . p = offset along the top and bottom rows.
        double[] top = onPlane(g, slice, n, m.offsetMm(), 0);
        double[] bottom = onPlane(g, slice, n, m.offsetMm(), g.height() - 1);
        if (top != null && bottom != null) {
            lines.add(new SliceRenderer.Line(top, bottom, PLANE, null));
        }
        if (m.septumCentreLps() != null && m.shiftMm() != null) {
            double[] s = m.septumCentreLps();
            double d = n[0] * s[0] + n[1] * s[1] + n[2] * s[2] - m.offsetMm();
            double[] foot = {s[0] - d * n[0], s[1] - d * n[1], s[2] - d * n[2]};
            lines.add(new SliceRenderer.Line(foot, s, SHIFT, String.format(Locale.ROOT, "shift %.1f mm", m.shiftMm())));
        }
        return new KeyImage("midline-axial-t1", "Mid-sagittal plane and septum on axial T1", "T1",
                new SliceRenderer.Slice(t1, g, slice, window, null, lines, List.of(
                        new LabelStyle(0, "Mid-sagittal plane", PLANE), new LabelStyle(0, "Septum shift", SHIFT)),
                        caption(g, slice)));
    }

    /** The patient point of the plane's trace in pixel row {@code row} of the slice, or null if parallel. */
    private static double[] onPlane(SliceGeometry g, int slice, double[] n, double offset, double row) {
        double[] p0 = g.patient(0, row, slice);
        double[] p1 = g.patient(1, row, slice);
        double a = SliceGeometry.dot(n, p0) - offset;
        double b = SliceGeometry.dot(n, p1) - offset - a;
        if (Math.abs(b) < 1e-9) {
            return null;
        }
        return g.patient(-a / b, row, slice);
    }

    private static KeyImage image(String name, String title, String role, Volume volume, SliceGeometry g, int slice,
                                  Window window, SliceRenderer.Overlay overlay, List<SliceRenderer.Line> lines,
                                  List<LabelStyle> legend) {
        return new KeyImage(name, title, role, new SliceRenderer.Slice(volume, g, slice, window, overlay, lines, legend,
                caption(g, slice)));
    }

    static String caption(SliceGeometry g, int slice) {
        return String.format(Locale.ROOT, "%s %d/%d", g.plane().name().toLowerCase(Locale.ROOT), slice + 1, g.slices());
    }

    private static Window window(Map<String, float[]> samples, String role, Volume volume) {
        float[] sample = samples.computeIfAbsent(role, r -> Window.intensitySample(volume));
        return Window.of(sample, Window.Preset.AUTO);
    }

    /** The display slice holding the most voxels labelled {@code minLabel} or above; -1 when there are none. */
    static int busiestSlice(Volume labels, SliceGeometry g, int minLabel) {
        int[] counts = new int[g.slices()];
        boolean any = false;
        float[] v = labels.voxels();
        for (int k = 0; k < labels.nz(); k++) {
            for (int j = 0; j < labels.ny(); j++) {
                for (int i = 0; i < labels.nx(); i++) {
                    if (v[labels.index(i, j, k)] >= minLabel) {
                        counts[g.sliceThrough(labels.voxelToPatient(i, j, k))]++;
                        any = true;
                    }
                }
            }
        }
        if (!any) {
            return -1;
        }
        int best = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Patient centroid of the voxels with any of the labels, or null. */
    static double[] centroid(Volume labels, int... wanted) {
        double[] sum = new double[3];
        long n = 0;
        float[] v = labels.voxels();
        for (int k = 0; k < labels.nz(); k++) {
            for (int j = 0; j < labels.ny(); j++) {
                for (int i = 0; i < labels.nx(); i++) {
                    int label = Math.round(v[labels.index(i, j, k)]);
                    for (int w : wanted) {
                        if (label == w) {
                            double[] p = labels.voxelToPatient(i, j, k);
                            sum[0] += p[0];
                            sum[1] += p[1];
                            sum[2] += p[2];
                            n++;
                        }
                    }
                }
            }
        }
        return n == 0 ? null : new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** The slice stack a label map is scrolled through: axial, on its own series. */
    public static SliceGeometry stack(Study study, LabelMapKind kind) {
        Volume volume = study.volumes().get(kind.role);
        return volume == null ? null : SliceGeometry.covering(volume, DisplayPlane.AXIAL);
    }

    /**
     * What a viewer needs to know of a study's images without loading them: each key image's name,
     * title, role, series and slice, and each label map's stack (series, slice count, the slice to open
     * at), as JSON-ready maps.
     */
    public static Map<String, Object> index(Study study, Map<String, String> seriesUidByRole, List<KeyImage> keyImages) {
        List<Map<String, Object>> images = new ArrayList<>();
        for (KeyImage k : keyImages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", k.name());
            m.put("title", k.title());
            m.put("role", k.role());
            m.put("seriesInstanceUid", seriesUidByRole.get(k.role()));
            m.put("plane", k.slice().geometry().plane().name());
            m.put("slice", k.slice().index());
            images.add(m);
        }
        List<Map<String, Object>> stacks = new ArrayList<>();
        for (LabelMapKind kind : LabelMapKind.values()) {
            Volume labels = study.labelMaps().get(kind);
            SliceGeometry g = labels == null ? null : stack(study, kind);
            if (g == null) {
                continue;
            }
            int busiest = busiestSlice(labels, g, kind.styles.stream().mapToInt(LabelStyle::label).min().orElse(1));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labelMap", kind.fileName);
            m.put("role", kind.role);
            m.put("seriesInstanceUid", seriesUidByRole.get(kind.role));
            m.put("slices", g.slices());
            m.put("start", busiest >= 0 ? busiest : g.slices() / 2);
            stacks.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keyImages", images);
        out.put("stacks", stacks);
        return out;
    }

    /** The geometry of a slice stack, for clients that map pixels to patient positions. */
    public static Map<String, Object> describe(SliceGeometry g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plane", g.plane().name());
        out.put("originLps", g.originLps());
        out.put("columnDirection", g.plane().column());
        out.put("rowDirection", g.plane().row());
        out.put("sliceDirection", g.plane().normal());
        out.put("pixelSpacingMm", g.pixelSpacing());
        out.put("sliceSpacingMm", g.sliceSpacing());
        out.put("width", g.width());
        out.put("height", g.height());
        out.put("slices", g.slices());
        return out;
    }
}
