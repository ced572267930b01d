package org.neurogate.phantoms.anatomy;

import org.neurogate.phantoms.geometry.Vec3;

/**
 * A smooth mass-effect deformation that pushes the septum pellucidum and the third ventricle sideways
 * (along the head's x axis) and fades to nothing at the inner table of the skull, so the skull and the
 * mid-sagittal plane stay where they were.
 */
final class MidlineShift {

    private static final double SIGMA_X = 20;
    private static final double SIGMA_Y = 32;
    private static final double SIGMA_Z = 16;
    private static final Vec3 CENTRE = new Vec3(0, 2, 6);

    private final double amplitude;
    private final Ellipsoid icv;

    /** Scaled so that the septum centre moves by exactly {@code septumShiftMm}. */
    MidlineShift(double septumShiftMm, Ellipsoid icv) {
        this.icv = icv;
        Vec3 s = HeadAnatomy.SEPTUM_CENTRE;
        double weightAtSeptum = weight(s.x(), s.y(), s.z());
        this.amplitude = septumShiftMm == 0 ? 0 : septumShiftMm / weightAtSeptum;
    }

    Vec3 forward(Vec3 h) {
        if (amplitude == 0) {
            return h;
        }
        return new Vec3(h.x() + amplitude * weight(h.x(), h.y(), h.z()), h.y(), h.z());
    }

    /** The undeformed point that the deformation moves to {@code deformed}, by fixed-point iteration. */
    Vec3 inverse(Vec3 deformed) {
        if (amplitude == 0) {
            return deformed;
        }
        double x = deformed.x();
        double y = deformed.y();
        double z = deformed.z();
        // |du/dx| stays below 1 for shifts up to 20 mm, so the iteration contracts; small shifts
        // converge in a few steps, large ones in a few dozen.
        double source = x;
        for (int i = 0; i < 60; i++) {
            double next = x - amplitude * weight(source, y, z);
            if (Math.abs(next - source) < 1e-5) {
                return new Vec3(next, y, z);
            }
            source = next;
        }
        return new Vec3(source, y, z);
    }

    private double weight(double x, double y, double z) {
        double dx = (x - CENTRE.x()) / SIGMA_X;
        double dy = (y - CENTRE.y()) / SIGMA_Y;
        double dz = (z - CENTRE.z()) / SIGMA_Z;
        double gauss = Math.exp(-0.5 * (dx * dx + dy * dy + dz * dz));
        double rx = x / icv.a;
        double ry = y / icv.b;
        double rz = z / icv.c;
        double taper = 1 - (rx * rx + ry * ry + rz * rz);
        // Mass effect is supratentorial: it fades out below the third ventricle, sparing the medial
        // temporal lobes (a displacement field's divergence is what would change their volume).
        double supratentorial = 1 / (1 + Math.exp(-(z + 6) / 3));
        return taper <= 0 ? 0 : gauss * taper * supratentorial;
    }
}
