package org.neurogate.reports.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.volume.Volume;
import org.neurogate.reports.render.SliceRenderer.LabelStyle;

/**
 * Known answers: one labelled voxel of a 20 mm cube must appear at the pixel that radiological
 * convention puts it, in its colour, in each plane, whichever way the volume was acquired.
 */
class SliceRendererTest {

    private static final LabelStyle MARK = new LabelStyle(5, "Left hippocampus", new Color(0, 140, 255));
    /** The labelled point: 5 mm to the patient's left, 5 mm anterior, 2 mm superior of the cube centre. */
    private static final double[] POINT = {5, -5, 2};
    /** 19 mm across, drawn on 384 pixels. */
    private static final double PIXEL = 19.0 / 383;

    private static final double[] AXIAL_ACQUISITION = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    /** Sagittal: i runs anterior to posterior, j superior to inferior, k right to left. */
    private static final double[] SAGITTAL_ACQUISITION = {0, 0, 1, 1, 0, 0, 0, -1, 0};

    private static Volume cube(double[] direction, double[] origin, float value) {
        float[] voxels = new float[20 * 20 * 20];
        java.util.Arrays.fill(voxels, value);
        return new Volume(voxels, 20, 20, 20, new double[] {1, 1, 1}, direction, origin);
    }

    private static Volume marked(double[] direction, double[] origin) {
        Volume labels = cube(direction, origin, 0);
        double[] v = labels.patientToVoxel(POINT[0], POINT[1], POINT[2]);
        labels.voxels()[labels.index((int) Math.round(v[0]), (int) Math.round(v[1]), (int) Math.round(v[2]))] = MARK.label();
        return labels;
    }

    private static BufferedImage draw(Volume image, Volume labels, DisplayPlane plane, int slice) {
        SliceGeometry g = SliceGeometry.covering(image, plane);
        return SliceRenderer.pixels(new SliceRenderer.Slice(image, g, slice, new Window(0, 200),
                new SliceRenderer.Overlay(labels, List.of(MARK), 1.0), List.of(), List.of(MARK), null));
    }

    private static void assertMarkAt(BufferedImage img, double column, double row) {
        int c = (int) Math.round(column);
        int r = (int) Math.round(row);
        assertEquals(MARK.colour().getRGB() & 0xFFFFFF, img.getRGB(c, r) & 0xFFFFFF, "mark at (" + c + ", " + r + ")");
        // The mirror pixel across the midline (the patient's other side) is grey.
        int mirror = img.getWidth() - 1 - c;
        assertEquals(0x808080, img.getRGB(mirror, r) & 0xFFFFFF, "grey at the mirror pixel " + mirror);
    }

    @Test
    void axialAcquisitionInEachPlane() {
        double[] origin = {-10, -10, -10};
        Volume image = cube(AXIAL_ACQUISITION, origin, 100);
        Volume labels = marked(AXIAL_ACQUISITION, origin);
        // Axial: patient left (x = +5) to the screen right, anterior (y = -5) up; slice 12 is z = +2.
        BufferedImage axial = draw(image, labels, DisplayPlane.AXIAL, 12);
        assertEquals(384, axial.getWidth());
        assertMarkAt(axial, 15 / PIXEL, 5 / PIXEL);
        assertTrue(15 / PIXEL > axial.getWidth() / 2.0, "patient left is on the screen right");
        // Coronal: superior up, so row = (9 - 2) mm from the top voxel centre; slice 5 is y = -5.
        assertMarkAt(draw(image, labels, DisplayPlane.CORONAL, 5), 15 / PIXEL, 7 / PIXEL);
        // Sagittal: anterior on the left, so column = (y + 10) mm; slice 15 is x = +5.
        BufferedImage sagittal = draw(image, labels, DisplayPlane.SAGITTAL, 15);
        int c = (int) Math.round(5 / PIXEL);
        int r = (int) Math.round(7 / PIXEL);
        assertEquals(MARK.colour().getRGB() & 0xFFFFFF, sagittal.getRGB(c, r) & 0xFFFFFF);
        assertEquals(0x808080, sagittal.getRGB(c, sagittal.getHeight() - 1 - r) & 0xFFFFFF, "inferior is grey");
    }

    @Test
    void sagittalAcquisitionShowsTheSamePointInTheSamePlace() {
        // Voxel (0,0,0) at anterior-superior-right: y = -10, z = +9, x = -10; the same cube as above.
        double[] origin = {-10, -10, 9};
        Volume image = cube(SAGITTAL_ACQUISITION, origin, 100);
        Volume labels = marked(SAGITTAL_ACQUISITION, origin);
        SliceGeometry g = SliceGeometry.covering(image, DisplayPlane.AXIAL);
        assertEquals(20, g.slices());
        assertEquals(-10, g.originLps()[2], 1e-9, "axial slices start at the feet");
        assertMarkAt(draw(image, labels, DisplayPlane.AXIAL, 12), 15 / PIXEL, 5 / PIXEL);
        assertMarkAt(draw(image, labels, DisplayPlane.CORONAL, 5), 15 / PIXEL, 7 / PIXEL);
    }

    @Test
    void geometryMapsPixelsToPatientAndBack() {
        Volume image = cube(SAGITTAL_ACQUISITION, new double[] {-10, -10, 10}, 1);
        for (DisplayPlane plane : DisplayPlane.values()) {
            SliceGeometry g = SliceGeometry.covering(image, plane);
            double[] p = g.patient(17.5, 42, 3);
            double[] back = g.pixel(p);
            assertEquals(17.5, back[0], 1e-9);
            assertEquals(42, back[1], 1e-9);
            assertEquals(3, back[2], 1e-9);
        }
    }

    @Test
    void overlayIsSemiTransparentAndCanBeSwitchedOff() {
        double[] origin = {-10, -10, -10};
        Volume image = cube(AXIAL_ACQUISITION, origin, 100);
        Volume labels = marked(AXIAL_ACQUISITION, origin);
        SliceGeometry g = SliceGeometry.covering(image, DisplayPlane.AXIAL);
        int c = (int) Math.round(15 / PIXEL);
        int r = (int) Math.round(5 / PIXEL);
        BufferedImage half = SliceRenderer.pixels(new SliceRenderer.Slice(image, g, 12, new Window(0, 200),
                new SliceRenderer.Overlay(labels, List.of(MARK), 0.5), List.of(), List.of(), null));
        // grey 128 halfway to (0, 140, 255)
        assertEquals(new Color(64, 134, 192).getRGB(), half.getRGB(c, r));
        BufferedImage off = SliceRenderer.pixels(new SliceRenderer.Slice(image, g, 12, new Window(0, 200), null,
                List.of(), List.of(), null));
        assertEquals(0x808080, off.getRGB(c, r) & 0xFFFFFF);
    }

    @Test
    void annotatedImageIsAPngWithLettersAndLegend() throws Exception {
        double[] origin = {-10, -10, -10};
        Volume image = cube(AXIAL_ACQUISITION, origin, 0);
        SliceGeometry g = SliceGeometry.covering(image, DisplayPlane.AXIAL);
        BufferedImage plain = SliceRenderer.pixels(new SliceRenderer.Slice(image, g, 3, new Window(0, 200), null, List.of(),
                List.of(), null));
        BufferedImage drawn = SliceRenderer.render(new SliceRenderer.Slice(image, g, 3, new Window(0, 200), null,
                List.of(new SliceRenderer.Line(new double[] {0, -9, 0}, new double[] {0, 9, 0}, Color.CYAN, "plane")),
                List.of(MARK), "axial 4/20"));
        byte[] png = SliceRenderer.png(drawn);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(g.width(), decoded.getWidth());
        // The line at x = 0 runs down column 10 mm / pixel; the legend changes pixels of a black slice.
        assertEquals(Color.CYAN.getRGB(), decoded.getRGB((int) Math.round(10 / PIXEL), g.height() / 2) | 0xFF000000);
        // One legend entry: its swatch sits 44 pixels above the bottom edge.
        assertNotEquals(plain.getRGB(12, g.height() - 38), decoded.getRGB(12, g.height() - 38), "legend swatch drawn");
        assertTrue(centileChartHasItsCurves());
    }

    private static boolean centileChartHasItsCurves() {
        String svg = CentileChart.svg("c", "Left hippocampus", "mL",
                age -> new org.neurogate.inference.volumetry.NormativeModel.Centiles(3.0, 3.5, 4.0), 40, 90, 60.0, 3.5);
        return svg.split("class=\"centile\"").length == 6 && svg.contains("class=\"patient\"");
    }

    @Test
    void centileCurvesFollowTheTwoSidedNormalModel() {
        var c = new org.neurogate.inference.volumetry.NormativeModel.Centiles(3.0, 3.5, 4.3);
        assertEquals(3.0, CentileChart.valueAtZ(c, -1.6449), 1e-9);
        assertEquals(4.3, CentileChart.valueAtZ(c, 1.6449), 1e-9);
        assertEquals(3.5 + 0.6745 * 0.8 / 1.6449, CentileChart.valueAtZ(c, 0.6745), 1e-9);
    }
}
