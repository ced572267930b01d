package org.neurogate.inference.registration;

import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Powell's direction-set minimiser with Brent line searches (Numerical Recipes' scheme, written from
 * the method's description): derivative-free, which suits a cost made of interpolated samples and
 * histograms. Parameters should be scaled so that a unit step moves the image by about a millimetre.
 */
final class Powell {

    private static final double GOLDEN = 1.618034;
    private static final double CGOLD = 0.3819660;

    private final ToDoubleFunction<double[]> cost;
    private final double parameterTolerance;
    private final double costTolerance;
    private final int maxIterations;
    private int evaluations;

    /**
     * @param parameterTolerance line searches locate their minima to within this many parameter units
     * @param costTolerance      stop when a whole sweep lowers the cost by less than this fraction
     */
    Powell(ToDoubleFunction<double[]> cost, double parameterTolerance, double costTolerance, int maxIterations) {
        this.cost = cost;
        this.parameterTolerance = parameterTolerance;
        this.costTolerance = costTolerance;
        this.maxIterations = maxIterations;
    }

    int evaluations() {
        return evaluations;
    }

    /** Minimises from {@code start}, first along each axis with the given initial steps. */
    double[] minimise(double[] start, double[] steps) {
        int n = start.length;
        double[][] directions = new double[n][n];
        for (int i = 0; i < n; i++) {
            directions[i][i] = steps[i];
        }
        double[] p = start.clone();
        double fp = eval(p);
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            double[] before = p.clone();
            double fBefore = fp;
            int biggest = 0;
            double biggestDrop = 0;
            for (int i = 0; i < n; i++) {
                double fOld = fp;
                double t = lineMinimum(p, directions[i], fp);
                for (int k = 0; k < n; k++) {
                    p[k] += t * directions[i][k];
                }
                fp = lastValue;
                if (fOld - fp > biggestDrop) {
                    biggestDrop = fOld - fp;
                    biggest = i;
                }
            }
            if (2 * (fBefore - fp) <= costTolerance * (Math.abs(fBefore) + Math.abs(fp)) + 1e-12) {
                break;
            }
            // Try the sweep's net displacement as a new direction, replacing the one that helped most.
            double[] net = new double[n];
            double[] extrapolated = new double[n];
            for (int k = 0; k < n; k++) {
                net[k] = p[k] - before[k];
                extrapolated[k] = 2 * p[k] - before[k];
            }
            double fe = eval(extrapolated);
            if (fe < fBefore) {
                double a = fBefore - 2 * fp + fe;
                double b = fBefore - fp - biggestDrop;
                if (2 * a * b * b < biggestDrop * (fBefore - fe) * (fBefore - fe)) {
                    double t = lineMinimum(p, net, fp);
                    for (int k = 0; k < n; k++) {
                        p[k] += t * net[k];
                    }
                    fp = lastValue;
                    directions[biggest] = directions[n - 1];
                    directions[n - 1] = net;
                }
            }
        }
        lastValue = fp;
        return p;
    }

    /** The cost at the point {@link #minimise} returned. */
    double value() {
        return lastValue;
    }

    private double lastValue;

    /** Brent's minimum of {@code f(p + t d)} over t, bracketed from t = 0 and 1; sets {@link #lastValue}. */
    private double lineMinimum(double[] p, double[] d, double f0) {
        DoubleUnaryOperator f = t -> {
            double[] q = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                q[k] = p[k] + t * d[k];
            }
            return eval(q);
        };
        // Bracket: a < b < c with f(b) below both ends.
        double a = 0;
        double fa = f0;
        double b = 1;
        double fb = f.applyAsDouble(b);
        if (fb > fa) {
            double t = a;
            a = b;
            b = t;
            double ft = fa;
            fa = fb;
            fb = ft;
        }
        double c = b + GOLDEN * (b - a);
        double fc = f.applyAsDouble(c);
        int guard = 0;
        while (fb > fc && guard++ < 30) {
            a = b;
            fa = fb;
            b = c;
            fb = fc;
            c = b + GOLDEN * (b - a);
            fc = f.applyAsDouble(c);
        }
        double lo = Math.min(a, c);
        double hi = Math.max(a, c);
        // Brent's parabolic interpolation with golden-section fallback.
        double x = b;
        double w = b;
        double v = b;
        double fx = fb;
        double fw = fb;
        double fv = fb;
        double e = 0;
        double step = 0;
        double stepLength = 0;
        for (int k = 0; k < d.length; k++) {
            stepLength += d[k] * d[k];
        }
        double tol1 = parameterTolerance / Math.max(1e-12, Math.sqrt(stepLength));
        for (int iteration = 0; iteration < 40; iteration++) {
            double middle = (lo + hi) / 2;
            double tol2 = 2 * tol1;
            if (Math.abs(x - middle) <= tol2 - (hi - lo) / 2) {
                break;
            }
            boolean golden = true;
            if (Math.abs(e) > tol1) {
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double pp = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) {
                    pp = -pp;
                }
                q = Math.abs(q);
                double eOld = e;
                e = step;
                if (Math.abs(pp) < Math.abs(0.5 * q * eOld) && pp > q * (lo - x) && pp < q * (hi - x)) {
                    step = pp / q;
                    double u = x + step;
                    if (u - lo < tol2 || hi - u < tol2) {
                        step = Math.copySign(tol1, middle - x);
                    }
                    golden = false;
                }
            }
            if (golden) {
                e = x >= middle ? lo - x : hi - x;
                step = CGOLD * e;
            }
            double u = Math.abs(step) >= tol1 ? x + step : x + Math.copySign(tol1, step);
            double fu = f.applyAsDouble(u);
            if (fu <= fx) {
                if (u >= x) {
                    lo = x;
                } else {
                    hi = x;
                }
                v = w;
                fv = fw;
                w = x;
                fw = fx;
                x = u;
                fx = fu;
            } else {
                if (u < x) {
                    lo = u;
                } else {
                    hi = u;
                }
                if (fu <= fw || w == x) {
                    v = w;
                    fv = fw;
                    w = u;
                    fw = fu;
                } else if (fu <= fv || v == x || v == w) {
                    v = u;
                    fv = fu;
                }
            }
        }
        if (fx > f0) {
            lastValue = f0;
            return 0;
        }
        lastValue = fx;
        return x;
    }

    private double eval(double[] p) {
        evaluations++;
        return cost.applyAsDouble(p);
    }
}
