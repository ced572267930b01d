package org.neurogate.reports.render;

import java.util.Locale;
import java.util.function.DoubleFunction;
import org.neurogate.inference.analysis.NormativeModel;

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
        int steps = 50;
        double[][] curves = new double[Z.length][steps + 1];
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int s = 0; s <= steps; s++) {
            NormativeModel.Centiles c = norms.apply(minAge + (maxAge - minAge) * s / steps);
            for (int z = 0; z < Z.length; z++) {
                curves[z][s] = valueAtZ(c, Z[z]);
                lo = Math.min(lo, curves[z][s]);
                hi = Math.max(hi, curves[z][s]);
            }
        }
        boolean dot = patientAge != null && patientValue != null;
        if (dot) {
            lo = Math.min(lo, patientValue);
            hi = Math.max(hi, patientValue);
        }
        double pad = (hi - lo) * 0.08;
        lo -= pad;
        hi += pad;
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
