package org.neurogate.inference.registration;

import java.util.Arrays;

/**
 * An affine map between two patient (LPS, mm) spaces: {@code y = A x + t}, held as the 3 × 4 matrix
 * {@code [A | t]} row-major. A registration's result maps the fixed image's space into the moving
 * image's, so that resampling the moving image needs one forward map per fixed voxel.
 */
public record AffineTransform(double[] matrix) {

    public static final AffineTransform IDENTITY = new AffineTransform(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0});

    public AffineTransform {
        if (matrix.length != 12) {
            throw new IllegalArgumentException("an affine transform needs 12 values, got " + matrix.length);
        }
        for (double m : matrix) {
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("an affine transform must be finite: " + Arrays.toString(matrix));
            }
        }
        matrix = matrix.clone();
    }

    @Override
    public double[] matrix() {
        return matrix.clone();
    }

    public static AffineTransform translation(double x, double y, double z) {
        return new AffineTransform(new double[] {1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z});
    }

    /**
     * The map about {@code centre}: {@code y = L (x - centre) + centre + shift}, where
     * {@code L = R(rx) R(ry) R(rz) · diag(scale) · shear}; rotations in radians, shear the upper
     * triangle (xy, xz, yz). These are the twelve degrees of freedom the registration searches.
     */
    public static AffineTransform of(double[] centre, double[] shift, double[] rotation, double[] scale,
                                     double[] shear) {
        double[][] rx = {{1, 0, 0}, {0, Math.cos(rotation[0]), -Math.sin(rotation[0])},
            {0, Math.sin(rotation[0]), Math.cos(rotation[0])}};
        double[][] ry = {{Math.cos(rotation[1]), 0, Math.sin(rotation[1])}, {0, 1, 0},
            {-Math.sin(rotation[1]), 0, Math.cos(rotation[1])}};
        double[][] rz = {{Math.cos(rotation[2]), -Math.sin(rotation[2]), 0},
            {Math.sin(rotation[2]), Math.cos(rotation[2]), 0}, {0, 0, 1}};
        double[][] s = {{scale[0], 0, 0}, {0, scale[1], 0}, {0, 0, scale[2]}};
        double[][] h = {{1, shear[0], shear[1]}, {0, 1, shear[2]}, {0, 0, 1}};
        double[][] l = times(times(times(rx, ry), times(rz, s)), h);
        double[] m = new double[12];
        for (int r = 0; r < 3; r++) {
            double moved = 0;
            for (int c = 0; c < 3; c++) {
                m[r * 4 + c] = l[r][c];
                moved += l[r][c] * centre[c];
            }
            m[r * 4 + 3] = centre[r] + shift[r] - moved;
        }
        return new AffineTransform(m);
    }

    public double[] apply(double x, double y, double z) {
        return new double[] {
            matrix[0] * x + matrix[1] * y + matrix[2] * z + matrix[3],
            matrix[4] * x + matrix[5] * y + matrix[6] * z + matrix[7],
            matrix[8] * x + matrix[9] * y + matrix[10] * z + matrix[11]};
    }

    /** {@code this ∘ first}: first {@code first}, then this. */
    public AffineTransform after(AffineTransform first) {
        double[] a = matrix;
        double[] b = first.matrix;
        double[] m = new double[12];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                double v = c == 3 ? a[r * 4 + 3] : 0;
                for (int k = 0; k < 3; k++) {
                    v += a[r * 4 + k] * b[k * 4 + c];
                }
                m[r * 4 + c] = v;
            }
        }
        return new AffineTransform(m);
    }

    public AffineTransform inverse() {
        double[] m = matrix;
        double det = determinant();
        if (Math.abs(det) < 1e-12) {
            throw new IllegalStateException("a singular affine transform has no inverse");
        }
        double[] inv = new double[12];
        inv[0] = (m[5] * m[10] - m[6] * m[9]) / det;
        inv[1] = (m[2] * m[9] - m[1] * m[10]) / det;
        inv[2] = (m[1] * m[6] - m[2] * m[5]) / det;
        inv[4] = (m[6] * m[8] - m[4] * m[10]) / det;
        inv[5] = (m[0] * m[10] - m[2] * m[8]) / det;
        inv[6] = (m[2] * m[4] - m[0] * m[6]) / det;
        inv[8] = (m[4] * m[9] - m[5] * m[8]) / det;
        inv[9] = (m[1] * m[8] - m[0] * m[9]) / det;
        inv[10] = (m[0] * m[5] - m[1] * m[4]) / det;
        for (int r = 0; r < 3; r++) {
            inv[r * 4 + 3] = -(inv[r * 4] * m[3] + inv[r * 4 + 1] * m[7] + inv[r * 4 + 2] * m[11]);
        }
        return new AffineTransform(inv);
    }

    /** The linear part's determinant: the volume ratio, moving over fixed. */
    public double determinant() {
        double[] m = matrix;
        return m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 3; j++) {
                    c[r][j] += a[r][k] * b[k][j];
                }
            }
        }
        return c;
    }
}
