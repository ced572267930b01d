package org.neurogate.reports.render;

import java.util.Locale;
import java.util.function.DoubleFunction;
import org.neurogate.inference.volumetry.NormativeModel;

/**
 * A normative chart as an SVG: the 5th, 25th, 50th, 75th and 95th centile curves of a volume over age,
 * and the patient's dot at their age. The 25th and 75th centiles come from the same two-sided normal
 * model the z-scores use (each side's SD is its 5th or 95th centile's distance from the median / 1.645),
 * so the dot lies between the curves exactly as its percentile says.
 */
public final class CentileChart {

    /** The centiles drawn, with their z. */
    static final double[] Z = {-1.6449, -0.6745, 0, 0.6745, 1.6449};
    static final String[] NAMES = {"5th", "25th", "50th", "75th", "95th"};
    static final int WIDTH = 360;
    static final int HEIGHT = 240;
    private static final int LEFT = 52;
    private static final int RIGHT = 46;
    private static final int TOP = 26;
    private static final int BOTTOM = 36;

    private CentileChart() {
    }

    /** The value at standard score z under the two-sided normal model of a centile row. */
    public static double valueAtZ(NormativeModel.Centiles c, double z) {
        double sd = (z >= 0 ? c.p95() - c.p50() : c.p50() - c.p5()) / 1.6449;
        return c.p50() + z * sd;
    }

    /**
     * @param norms        the centiles at an age (for hippocampi: the ICV-adjusted ones)
     * @param patientAge   years; null draws no dot
     * @param patientValue the scored value (ICV-adjusted where the norms are)
     */
    public static String svg(String id, String title, String unit, DoubleFunction<NormativeModel.Centiles> norms,
                             double minAge, double maxAge, Double patientAge, Double patientValue) {
        Plot p = Plot.of(norms, minAge, maxAge, patientAge, patientValue);
        double[][] curves = p.curves;
        double lo = p.lo;
        double hi = p.hi;
        int steps = Plot.STEPS;
        boolean dot = p.dot;
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"centile-chart\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", id, WIDTH, HEIGHT,
                WIDTH, HEIGHT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                LEFT, escape(title)));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
                + "stroke=\"#999\"/>", LEFT, TOP, plotW, plotH));
        for (double age = Math.ceil(minAge / 10) * 10; age <= maxAge; age += 10) {
            double x = x(age, minAge, maxAge);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.0f</text>", x, TOP, x, TOP + plotH,
                    x, TOP + plotH + 14, age));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">age (years)</text>",
                LEFT + plotW / 2, HEIGHT - 6));
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            double y = y(v, lo, hi);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                    LEFT - 4, y + 4, format(v)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\" "
                + "text-anchor=\"middle\">%s</text>", TOP + plotH / 2, TOP + plotH / 2, escape(unit)));
        for (int z = 0; z < Z.length; z++) {
            StringBuilder points = new StringBuilder();
            for (int s = 0; s <= steps; s++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(minAge + (maxAge - minAge) * s / steps, minAge, maxAge),
                        y(curves[z][s], lo, hi)));
            }
            String style = z == 2 ? "stroke=\"#1f5fa8\" stroke-width=\"2\"" : z == 0 || z == 4
                    ? "stroke=\"#c0392b\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"" : "stroke=\"#7aa6d6\" stroke-width=\"1.2\"";
            svg.append(String.format(Locale.ROOT, "<polyline class=\"centile\" data-centile=\"%s\" fill=\"none\" %s "
                    + "points=\"%s\"/>", NAMES[z], style, points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#555\">%s</text>",
                    LEFT + plotW + 3, y(curves[z][steps], lo, hi) + 3, NAMES[z]));
        }
        if (dot) {
            double age = Math.max(minAge, Math.min(maxAge, patientAge));
            svg.append(String.format(Locale.ROOT, "<circle class=\"patient\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#111\" "
                    + "stroke=\"#fff\" stroke-width=\"1.5\"><title>patient: %s %s at %.1f y</title></circle>",
                    x(age, minAge, maxAge), y(patientValue, lo, hi), format(patientValue), escape(unit), patientAge));
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /**
     * The same chart drawn with Java2D, {@code scale} times the SVG's size, for the PDF report and
     * anything else that needs pixels.
     */
    public static java.awt.image.BufferedImage image(String title, String unit,
                                                     DoubleFunction<NormativeModel.Centiles> norms, double minAge,
                                                     double maxAge, Double patientAge, Double patientValue, double scale) {
        Plot p = Plot.of(norms, minAge, maxAge, patientAge, patientValue);
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage((int) Math.round(WIDTH * scale),
                (int) Math.round(HEIGHT * scale), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(scale, scale);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            g.setColor(new java.awt.Color(0xfafafa));
            g.fillRect(LEFT, TOP, plotW, plotH);
            g.setColor(new java.awt.Color(0x999999));
            g.drawRect(LEFT, TOP, plotW, plotH);
            g.setColor(java.awt.Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
            g.drawString(title, LEFT, 16);
            java.awt.Font small = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11);
            g.setFont(small);
            java.awt.FontMetrics fm = g.getFontMetrics();
            for (double age = Math.ceil(minAge / 10) * 10; age <= maxAge; age += 10) {
                float x = (float) x(age, minAge, maxAge);
                g.setColor(new java.awt.Color(0xdddddd));
                g.draw(new java.awt.geom.Line2D.Float(x, TOP, x, TOP + plotH));
                g.setColor(java.awt.Color.BLACK);
                String label = String.format(Locale.ROOT, "%.0f", age);
                g.drawString(label, x - fm.stringWidth(label) / 2f, TOP + plotH + 14);
            }
            g.drawString("age (years)", LEFT + plotW / 2f - fm.stringWidth("age (years)") / 2f, HEIGHT - 6);
            for (int t = 0; t <= 4; t++) {
                double v = p.lo + (p.hi - p.lo) * t / 4;
                String label = format(v);
                g.drawString(label, LEFT - 4 - fm.stringWidth(label), (float) y(v, p.lo, p.hi) + 4);
            }
            java.awt.geom.AffineTransform keep = g.getTransform();
            g.rotate(-Math.PI / 2, 12, TOP + plotH / 2.0);
            g.drawString(unit, 12 - fm.stringWidth(unit) / 2f, TOP + plotH / 2f);
            g.setTransform(keep);
            for (int z = 0; z < Z.length; z++) {
                java.awt.geom.Path2D.Double path = new java.awt.geom.Path2D.Double();
                for (int s = 0; s <= Plot.STEPS; s++) {
                    double x = x(minAge + (maxAge - minAge) * s / Plot.STEPS, minAge, maxAge);
                    double y = y(p.curves[z][s], p.lo, p.hi);
                    if (s == 0) {
                        path.moveTo(x, y);
                    } else {
                        path.lineTo(x, y);
                    }
                }
                if (z == 2) {
                    g.setColor(new java.awt.Color(0x1f5fa8));
                    g.setStroke(new java.awt.BasicStroke(2f));
                } else if (z == 0 || z == 4) {
                    g.setColor(new java.awt.Color(0xc0392b));
                    g.setStroke(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                            10f, new float[] {4f, 3f}, 0f));
                } else {
                    g.setColor(new java.awt.Color(0x7aa6d6));
                    g.setStroke(new java.awt.BasicStroke(1.2f));
                }
                g.draw(path);
                g.setColor(new java.awt.Color(0x555555));
                g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
                g.drawString(NAMES[z], LEFT + plotW + 3, (float) y(p.curves[z][Plot.STEPS], p.lo, p.hi) + 3);
            }
            if (p.dot) {
                double age = Math.max(minAge, Math.min(maxAge, patientAge));
                double cx = x(age, minAge, maxAge);
                double cy = y(patientValue, p.lo, p.hi);
                java.awt.geom.Ellipse2D.Double circle = new java.awt.geom.Ellipse2D.Double(cx - 5, cy - 5, 10, 10);
                g.setColor(new java.awt.Color(0x111111));
                g.fill(circle);
                g.setColor(java.awt.Color.WHITE);
                g.setStroke(new java.awt.BasicStroke(1.5f));
                g.draw(circle);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The centile curves sampled over age and the value range they and the patient's dot span. */
    private static final class Plot {
        static final int STEPS = 50;
        final double[][] curves = new double[Z.length][STEPS + 1];
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        boolean dot;

        static Plot of(DoubleFunction<NormativeModel.Centiles> norms, double minAge, double maxAge, Double patientAge,
                       Double patientValue) {
            Plot p = new Plot();
            for (int s = 0; s <= STEPS; s++) {
                NormativeModel.Centiles c = norms.apply(minAge + (maxAge - minAge) * s / STEPS);
                for (int z = 0; z < Z.length; z++) {
                    p.curves[z][s] = valueAtZ(c, Z[z]);
                    p.lo = Math.min(p.lo, p.curves[z][s]);
                    p.hi = Math.max(p.hi, p.curves[z][s]);
                }
            }
            p.dot = patientAge != null && patientValue != null;
            if (p.dot) {
                p.lo = Math.min(p.lo, patientValue);
                p.hi = Math.max(p.hi, patientValue);
            }
            double pad = (p.hi - p.lo) * 0.08;
            p.lo -= pad;
            p.hi += pad;
            return p;
        }
    }

    private static double x(double age, double minAge, double maxAge) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (age - minAge) / (maxAge - minAge);
    }

    private static double y(double value, double lo, double hi) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - lo) / (hi - lo));
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
