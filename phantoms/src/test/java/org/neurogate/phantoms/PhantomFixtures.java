package org.neurogate.phantoms;

import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/** Subjects used across the phantom tests. */
final class PhantomFixtures {

    private PhantomFixtures() {
    }

    static Subject subject(long seed) {
        return new Subject(seed, 60, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 0, 0);
    }

    static Subject subject(long seed, double age, Subject.Sex sex, Subject.Diagnosis diagnosis) {
        return new Subject(seed, age, sex, diagnosis, 0, 0, 0, Vec3.ZERO, 0, 0, 0);
    }
}
