package org.neurogate.phantoms.geometry;

/**
 * A 3x3 rotation, row-major. Head pose uses patient LPS axes: yaw about S (z), roll about A-P (y),
 * pitch about L-R (x), composed as R = Rz(yaw) Ry(roll) Rx(pitch).
 */
public record Rotation(double[] m) {

    public static final Rotation IDENTITY = new Rotation(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    public Rotation {
        if (m.length != 9) {
            throw new IllegalArgumentException("a rotation has 9 elements, got " + m.length);
        }
        m = m.clone();
    }

    public static Rotation aboutX(double degrees) {
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        return new Rotation(new double[] {1, 0, 0, 0, c, -s, 0, s, c});
    }

    public static Rotation aboutY(double degrees) {
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        return new Rotation(new double[] {c, 0, s, 0, 1, 0, -s, 0, c});
    }

    public static Rotation aboutZ(double degrees) {
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        return new Rotation(new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
    }

    public static Rotation fromYawRollPitch(double yawDeg, double rollDeg, double pitchDeg) {
        return aboutZ(yawDeg).then(aboutY(rollDeg)).then(aboutX(pitchDeg));
    }

    /** this * other: applies {@code other} first. */
    public Rotation then(Rotation other) {
        double[] a = m;
        double[] b = other.m;
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            }
        }
        return new Rotation(r);
    }

    public Vec3 apply(Vec3 v) {
        return new Vec3(m[0] * v.x() + m[1] * v.y() + m[2] * v.z(),
                m[3] * v.x() + m[4] * v.y() + m[5] * v.z(),
                m[6] * v.x() + m[7] * v.y() + m[8] * v.z());
    }

    /** The inverse, which for a rotation is its transpose. */
    public Rotation inverse() {
        return new Rotation(new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]});
    }

    @Override
    public double[] m() {
        return m.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rotation r && java.util.Arrays.equals(m, r.m);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(m);
    }
}
