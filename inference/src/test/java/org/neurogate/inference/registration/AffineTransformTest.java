package org.neurogate.inference.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The affine maps' algebra, with answers worked by hand. */
class AffineTransformTest {

    @Test
    void aQuarterTurnAboutACentreMovesPointsAsDrawn() {
        AffineTransform t = AffineTransform.of(new double[] {10, 0, 0}, new double[] {0, 0, 5},
                new double[] {0, 0, Math.PI / 2}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        // (11, 0, 0) is 1 mm from the centre along x; a quarter turn about z takes it to (10, 1, 0), then up 5.
        assertArrayEquals(new double[] {10, 1, 5}, t.apply(11, 0, 0), 1e-12);
        assertArrayEquals(new double[] {10, 0, 5}, t.apply(10, 0, 0), 1e-12);
    }

    @Test
    void scaleShowsInTheDeterminantAndTheInverseUndoesTheMap() {
        AffineTransform t = AffineTransform.of(new double[] {3, -4, 7}, new double[] {1, 2, 3},
                new double[] {0.1, -0.2, 0.3}, new double[] {1.1, 0.9, 1.2}, new double[] {0.05, -0.03, 0.02});
        assertEquals(1.1 * 0.9 * 1.2, t.determinant(), 1e-12);
        double[] p = t.apply(20, -30, 40);
        assertArrayEquals(new double[] {20, -30, 40}, t.inverse().apply(p[0], p[1], p[2]), 1e-9);
        AffineTransform identity = t.inverse().after(t);
        assertArrayEquals(AffineTransform.IDENTITY.matrix(), identity.matrix(), 1e-12);
    }

    @Test
    void compositionAppliesTheFirstMapFirst() {
        AffineTransform shift = AffineTransform.translation(1, 0, 0);
        AffineTransform doubling = new AffineTransform(new double[] {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0});
        assertArrayEquals(new double[] {4, 0, 0}, doubling.after(shift).apply(1, 0, 0), 1e-12);
        assertArrayEquals(new double[] {3, 0, 0}, shift.after(doubling).apply(1, 0, 0), 1e-12);
    }

    @Test
    void malformedOrSingularMapsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AffineTransform(new double[11]));
        assertThrows(IllegalArgumentException.class, () -> new AffineTransform(new double[] {Double.NaN, 0, 0, 0, 0, 1,
            0, 0, 0, 0, 1, 0}));
        assertThrows(IllegalStateException.class, () -> new AffineTransform(new double[12]).inverse());
    }
}
