package org.neurogate.phantoms.anatomy;

import org.neurogate.phantoms.geometry.Rotation;
import org.neurogate.phantoms.geometry.Vec3;

/** An ellipsoid in the head frame, with an approximate signed distance to its surface (negative inside). */
final class Ellipsoid {

    final Vec3 centre;
    final double a;
    final double b;
    final double c;
    private final Rotation toLocal;
    // The rotation's elements, unpacked once: signedDistance runs for every voxel and structure.
    private final double m0, m1, m2, m3, m4, m5, m6, m7, m8;
    private final double reach;

    Ellipsoid(Vec3 centre, double a, double b, double c, Rotation toLocal) {
        if (!(a > 0 && b > 0 && c > 0)) {
            throw new IllegalArgumentException("semi-axes must be positive: " + a + ", " + b + ", " + c);
        }
        this.centre = centre;
        this.a = a;
        this.b = b;
        this.c = c;
        this.toLocal = toLocal;
        double[] m = toLocal.m();
        m0 = m[0]; m1 = m[1]; m2 = m[2];
        m3 = m[3]; m4 = m[4]; m5 = m[5];
        m6 = m[6]; m7 = m[7]; m8 = m[8];
        reach = Math.max(a, Math.max(b, c));
    }

    static Ellipsoid axisAligned(Vec3 centre, double a, double b, double c) {
        return new Ellipsoid(centre, a, b, c, Rotation.IDENTITY);
    }

    double volume() {
        return 4.0 / 3 * Math.PI * a * b * c;
    }

    /** Mirror image across the mid-sagittal plane x = 0. */
    Ellipsoid mirrored() {
        // Conjugating with diag(-1, 1, 1) flips the sign of the elements that mix x with y or z.
        Rotation flipped = new Rotation(new double[] {m0, -m1, -m2, -m3, m4, m5, -m6, m7, m8});
        return new Ellipsoid(new Vec3(-centre.x(), centre.y(), centre.z()), a, b, c, flipped);
    }

    Ellipsoid grown(double mm) {
        return new Ellipsoid(centre, a + mm, b + mm, c + mm, toLocal);
    }

    Ellipsoid scaled(double factor) {
        return new Ellipsoid(centre, a * factor, b * factor, c * factor, toLocal);
    }

    Rotation rotation() {
        return toLocal;
    }

    double volumeMm3() {
        return 4.0 / 3.0 * Math.PI * a * b * c;
    }

    /** True when the point is certainly farther than {@code margin} outside: a cheap bounding-box test. */
    boolean farOutside(double x, double y, double z, double margin) {
        double r = reach + margin;
        return Math.abs(x - centre.x()) > r || Math.abs(y - centre.y()) > r || Math.abs(z - centre.z()) > r;
    }

    /**
     * First-order distance to the surface: (r - 1) / |grad r| with r the ellipsoidal radius. Exact on
     * a sphere and accurate near the surface, which is where partial volume is decided.
     */
    double signedDistance(double x, double y, double z) {
        double dx = x - centre.x();
        double dy = y - centre.y();
        double dz = z - centre.z();
        double qx = (m0 * dx + m1 * dy + m2 * dz) / a;
        double qy = (m3 * dx + m4 * dy + m5 * dz) / b;
        double qz = (m6 * dx + m7 * dy + m8 * dz) / c;
        double r = Math.sqrt(qx * qx + qy * qy + qz * qz);
        if (r < 1e-9) {
            return -Math.min(a, Math.min(b, c));
        }
        double gx = qx / a;
        double gy = qy / b;
        double gz = qz / c;
        double grad = Math.sqrt(gx * gx + gy * gy + gz * gz) / r;
        return (r - 1) / grad;
    }
}
