package org.neurogate.reports.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.neurogate.inference.volume.Volume;

/**
 * Draws one display slice of a volume: grey levels through a window (trilinear), a label map blended
 * over it in semi-transparent colours (nearest label, sampled in patient space so the label map may lie
 * on another series' grid), lines between patient points with captions, the legend and the
 * orientation letters at the edges.
 */
public final class SliceRenderer {

    /** How one label of a label map is drawn and named in the legend. */
    public record LabelStyle(int label, String name, Color colour) {
    }

    /** A label map and how to draw it; {@code opacity} 0-1. */
    public record Overlay(Volume labels, List<LabelStyle> styles, double opacity) {
        public Overlay {
            styles = List.copyOf(styles);
        }
    }

    /** A line between two patient positions (projected onto the slice), with a caption at its end. */
    public record Line(double[] fromLps, double[] toLps, Color colour, String caption) {
    }

    /**
     * @param overlay null for none
     * @param legend  entries shown whether or not the overlay is drawn (so a radiologist knows what is off)
     */
    public record Slice(Volume image, SliceGeometry geometry, int index, Window window, Overlay overlay, List<Line> lines,
                        List<LabelStyle> legend, String caption) {
        public Slice {
            if (index < 0 || index >= geometry.slices()) {
                throw new IllegalArgumentException("slice " + index + " outside 0.." + (geometry.slices() - 1));
            }
            lines = lines == null ? List.of() : List.copyOf(lines);
            legend = legend == null ? List.of() : List.copyOf(legend);
        }
    }

    private static final Font LETTERS = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private SliceRenderer() {
    }

    /** The slice's pixels only: grey levels and the overlay, without text or lines. */
    public static BufferedImage pixels(Slice s) {
        SliceGeometry g = s.geometry();
        BufferedImage out = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_INT_RGB);
        Sampler image = new Sampler(s.image(), g, s.index());
        Sampler labels = s.overlay() == null ? null : new Sampler(s.overlay().labels(), g, s.index());
        int[] colourOf = labels == null ? null : colourTable(s.overlay().styles());
        double alpha = s.overlay() == null ? 0 : s.overlay().opacity();
        int[] row = new int[g.width()];
        for (int r = 0; r < g.height(); r++) {
            for (int c = 0; c < g.width(); c++) {
                int grey = s.window().grey(image.trilinear(c, r));
                int rgb = grey << 16 | grey << 8 | grey;
                if (labels != null) {
                    int label = labels.nearest(c, r);
                    if (label > 0 && label < colourOf.length && colourOf[label] != -1) {
                        rgb = blend(grey, colourOf[label], alpha);
                    }
                }
                row[c] = rgb;
            }
            out.setRGB(0, r, g.width(), 1, row, 0, g.width());
        }
        return out;
    }

    /** The slice as a radiologist sees it: pixels, lines, legend, orientation letters, caption. */
    public static BufferedImage render(Slice s) {
        BufferedImage out = pixels(s);
        Graphics2D g2 = out.createGraphics();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (Line line : s.lines()) {
                drawLine(g2, s.geometry(), line);
            }
            drawLegend(g2, s.legend(), out.getHeight());
            drawOrientation(g2, s.geometry());
            if (s.caption() != null && !s.caption().isBlank()) {
                g2.setFont(TEXT);
                shadowed(g2, s.caption(), 6, out.getHeight() - 8, Color.WHITE);
            }
        } finally {
            g2.dispose();
        }
        return out;
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int[] colourTable(List<LabelStyle> styles) {
        int max = styles.stream().mapToInt(LabelStyle::label).max().orElse(0);
        int[] table = new int[max + 1];
        java.util.Arrays.fill(table, -1);
        for (LabelStyle style : styles) {
            table[style.label()] = style.colour().getRGB() & 0xFFFFFF;
        }
        return table;
    }

    static int blend(int grey, int rgb, double alpha) {
        int r = (int) Math.round((1 - alpha) * grey + alpha * (rgb >> 16 & 0xFF));
        int g = (int) Math.round((1 - alpha) * grey + alpha * (rgb >> 8 & 0xFF));
        int b = (int) Math.round((1 - alpha) * grey + alpha * (rgb & 0xFF));
        return r << 16 | g << 8 | b;
    }

    private static void drawLine(Graphics2D g2, SliceGeometry g, Line line) {
        double[] a = g.pixel(line.fromLps());
        double[] b = g.pixel(line.toLps());
        g2.setStroke(new BasicStroke(2f));
        g2.setColor(line.colour());
        g2.drawLine((int) Math.round(a[0]), (int) Math.round(a[1]), (int) Math.round(b[0]), (int) Math.round(b[1]));
        if (line.caption() != null) {
            g2.setFont(TEXT);
            int x = (int) Math.round(b[0]) + 6;
            int y = (int) Math.round(b[1]) + 5;
            FontMetrics m = g2.getFontMetrics();
            x = Math.min(x, g.width() - m.stringWidth(line.caption()) - 4);
            shadowed(g2, line.caption(), Math.max(2, x), Math.max(m.getAscent() + 2, y), line.colour());
        }
    }

    /** Bottom left, above the caption: the top edge belongs to the orientation letter. */
    private static void drawLegend(Graphics2D g2, List<LabelStyle> legend, int height) {
        g2.setFont(TEXT);
        int y = height - 26 - 18 * legend.size();
        for (LabelStyle entry : legend) {
            g2.setColor(Color.BLACK);
            g2.fillRect(7, y - 1, 14, 14);
            g2.setColor(entry.colour());
            g2.fillRect(8, y, 12, 12);
            shadowed(g2, entry.name(), 26, y + 11, Color.WHITE);
            y += 18;
        }
    }

    private static void drawOrientation(Graphics2D g2, SliceGeometry g) {
        g2.setFont(LETTERS);
        FontMetrics m = g2.getFontMetrics();
        DisplayPlane p = g.plane();
        int midY = g.height() / 2 + m.getAscent() / 2;
        shadowed(g2, p.left, 4, midY, Color.YELLOW);
        shadowed(g2, p.right, g.width() - m.stringWidth(p.right) - 4, midY, Color.YELLOW);
        shadowed(g2, p.top, (g.width() - m.stringWidth(p.top)) / 2, m.getAscent() + 2, Color.YELLOW);
        shadowed(g2, p.bottom, (g.width() - m.stringWidth(p.bottom)) / 2, g.height() - 4, Color.YELLOW);
    }

    private static void shadowed(Graphics2D g2, String text, int x, int y, Color colour) {
        g2.setColor(Color.BLACK);
        g2.drawString(text, x + 1, y + 1);
        g2.setColor(colour);
        g2.drawString(text, x, y);
    }

    /** Voxel coordinates of a slice's pixels in one volume, stepped incrementally. */
    private static final class Sampler {
        private final Volume volume;
        private final double[] start;
        private final double[] perColumn;
        private final double[] perRow;
        private final float[] voxels;
        private final int nx;
        private final int ny;
        private final int nz;

        Sampler(Volume volume, SliceGeometry g, int slice) {
            this.volume = volume;
            this.voxels = volume.voxels();
            this.nx = volume.nx();
            this.ny = volume.ny();
            this.nz = volume.nz();
            double[] p0 = g.patient(0, 0, slice);
            double[] p1 = g.patient(1, 0, slice);
            double[] p2 = g.patient(0, 1, slice);
            start = volume.patientToVoxel(p0[0], p0[1], p0[2]);
            double[] v1 = volume.patientToVoxel(p1[0], p1[1], p1[2]);
            double[] v2 = volume.patientToVoxel(p2[0], p2[1], p2[2]);
            perColumn = new double[] {v1[0] - start[0], v1[1] - start[1], v1[2] - start[2]};
            perRow = new double[] {v2[0] - start[0], v2[1] - start[1], v2[2] - start[2]};
        }

        int nearest(int c, int r) {
            int i = (int) Math.round(start[0] + c * perColumn[0] + r * perRow[0]);
            int j = (int) Math.round(start[1] + c * perColumn[1] + r * perRow[1]);
            int k = (int) Math.round(start[2] + c * perColumn[2] + r * perRow[2]);
            if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) {
                return 0;
            }
            return Math.round(voxels[volume.index(i, j, k)]);
        }

        double trilinear(int c, int r) {
            double x = start[0] + c * perColumn[0] + r * perRow[0];
            double y = start[1] + c * perColumn[1] + r * perRow[1];
            double z = start[2] + c * perColumn[2] + r * perRow[2];
            // Half a voxel of tolerance at the edges, so a volume's first and last slices are drawn.
            if (x < -0.5 || y < -0.5 || z < -0.5 || x > nx - 0.5 || y > ny - 0.5 || z > nz - 0.5) {
                return Double.NEGATIVE_INFINITY;
            }
            x = clamp(x, nx);
            y = clamp(y, ny);
            z = clamp(z, nz);
            int i = Math.min((int) x, Math.max(0, nx - 2));
            int j = Math.min((int) y, Math.max(0, ny - 2));
            int k = Math.min((int) z, Math.max(0, nz - 2));
            double fx = nx == 1 ? 0 : x - i;
            double fy = ny == 1 ? 0 : y - j;
            double fz = nz == 1 ? 0 : z - k;
            int i1 = Math.min(i + 1, nx - 1);
            int j1 = Math.min(j + 1, ny - 1);
            int k1 = Math.min(k + 1, nz - 1);
            double c00 = at(i, j, k) * (1 - fx) + at(i1, j, k) * fx;
            double c10 = at(i, j1, k) * (1 - fx) + at(i1, j1, k) * fx;
            double c01 = at(i, j, k1) * (1 - fx) + at(i1, j, k1) * fx;
            double c11 = at(i, j1, k1) * (1 - fx) + at(i1, j1, k1) * fx;
            return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
        }

        private float at(int i, int j, int k) {
            return voxels[volume.index(i, j, k)];
        }

        private static double clamp(double v, int n) {
            return v < 0 ? 0 : v > n - 1 ? n - 1 : v;
        }
    }
}
