package org.neurogate.phantoms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.anatomy.HeadAnatomy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/** Plausible volumes, exact symmetry, published ageing rates, and the contrasts the analyses rely on. */
class PhantomAnatomyTest {

    private static final AcquisitionOptions AXIAL = new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
            AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30);

    @Test
    void healthyAdultsHavePlausibleIntracranialAndHippocampalVolumes() {
        for (Subject.Sex sex : Subject.Sex.values()) {
            double[] ml = t1Volumes(PhantomFixtures.subject(21, 45, sex, Subject.Diagnosis.CN));
            double icv = 0;
            for (Tissue t : Tissue.ALL) {
                icv += t.intracranial() ? ml[t.label] : 0;
            }
            assertTrue(icv > 1200 && icv < 1700, sex + " ICV " + icv + " mL");
            for (Tissue h : new Tissue[] {Tissue.HIPPOCAMPUS_LEFT, Tissue.HIPPOCAMPUS_RIGHT}) {
                assertTrue(ml[h.label] > 3.0 && ml[h.label] < 4.5, sex + " " + h + " " + ml[h.label] + " mL");
            }
        }
    }

    @Test
    void withoutLesionsOrShiftTheHeadIsSymmetric() {
        double[] ml = t1Volumes(PhantomFixtures.subject(22, 70, Subject.Sex.F, Subject.Diagnosis.CN));
        assertEquals(ml[Tissue.HIPPOCAMPUS_LEFT.label], ml[Tissue.HIPPOCAMPUS_RIGHT.label],
                0.01 * ml[Tissue.HIPPOCAMPUS_LEFT.label]);
        HeadAnatomy anatomy = new HeadAnatomy(PhantomFixtures.subject(22, 70, Subject.Sex.F, Subject.Diagnosis.CN));
        org.neurogate.phantoms.anatomy.TissueSample a = new org.neurogate.phantoms.anatomy.TissueSample();
        org.neurogate.phantoms.anatomy.TissueSample b = new org.neurogate.phantoms.anatomy.TissueSample();
        for (double[] p : new double[][] {{12.3, -20, 14}, {27, 10, -17}, {40.5, 3, 20}, {5.2, -2, 14}}) {
            anatomy.sample(p[0], p[1], p[2], 1, a);
            anatomy.sample(-p[0], p[1], p[2], 1, b);
            for (int t = 0; t < Tissue.ALL.length; t++) {
                Tissue mirror = t == Tissue.HIPPOCAMPUS_LEFT.ordinal() ? Tissue.HIPPOCAMPUS_RIGHT
                        : t == Tissue.HIPPOCAMPUS_RIGHT.ordinal() ? Tissue.HIPPOCAMPUS_LEFT : Tissue.ALL[t];
                assertEquals(a.fraction[t], b.fraction[mirror.ordinal()], 1e-9, "mirror of " + Tissue.ALL[t]);
            }
        }
    }

    @Test
    void hippocampiFollowTheNormativeMediansAndAreSmallerInMci() {
        double at60 = hippocampi(PhantomFixtures.subject(23, 60, Subject.Sex.M, Subject.Diagnosis.CN));
        double at70 = hippocampi(PhantomFixtures.subject(23, 70, Subject.Sex.M, Subject.Diagnosis.CN));
        double mci70 = hippocampi(PhantomFixtures.subject(23, 70, Subject.Sex.M, Subject.Diagnosis.MCI));
        assertEquals(3899.0 / 4035.5, at70 / at60, 0.01, "NiChart ICV-adjusted median, 70 vs 60 years");
        assertEquals(0.88, mci70 / at70, 0.02, "MCI about 12 % below controls (Shi 2009)");
    }

    @Test
    void hippocampiScaleWithTheHead() {
        // Same seed and age: the man's head is larger (sex scale 1.035 against 0.975, cubed for volume),
        // and his hippocampi by the same ratio; at the norms' ICV of 1430 mL they would be the median.
        double[] man = t1Volumes(PhantomFixtures.subject(23, 60, Subject.Sex.M, Subject.Diagnosis.CN));
        double[] woman = t1Volumes(PhantomFixtures.subject(23, 60, Subject.Sex.F, Subject.Diagnosis.CN));
        double icvRatio = Math.pow(1.035 / 0.975, 3);
        assertEquals(icvRatio, (man[Tissue.HIPPOCAMPUS_LEFT.label] + man[Tissue.HIPPOCAMPUS_RIGHT.label])
                / (woman[Tissue.HIPPOCAMPUS_LEFT.label] + woman[Tissue.HIPPOCAMPUS_RIGHT.label]), 0.03);
    }

    @Test
    void ventriclesGrowWithAge() {
        double[] young = t1Volumes(PhantomFixtures.subject(24, 45, Subject.Sex.M, Subject.Diagnosis.CN));
        double[] old = t1Volumes(PhantomFixtures.subject(24, 85, Subject.Sex.M, Subject.Diagnosis.CN));
        assertTrue(old[Tissue.LATERAL_VENTRICLE.label] > 2 * young[Tissue.LATERAL_VENTRICLE.label]);
        assertTrue(old[Tissue.GREY_MATTER.label] < young[Tissue.GREY_MATTER.label]);
    }

    @Test
    void midlineShiftMovesTheSeptumByTheRequestedAmount() {
        for (double shift : new double[] {-7, 3.5, 12}) {
            HeadAnatomy anatomy = new HeadAnatomy(new Subject(25, 60, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0,
                    Vec3.ZERO, shift, 0, 0));
            assertEquals(shift, anatomy.septumDisplacementMm(), 1e-9);
            // The skull does not move: the mid-sagittal plane stays where the pose puts it.
            assertEquals(0, anatomy.toPatient(new Vec3(0, 0, 80)).x(), 1e-9, "vertex");
            assertEquals(80, anatomy.toPatient(new Vec3(80, 0, 0)).x(), 1e-9, "left temporal bone");
        }
    }

    @Test
    void strokeCoreIsBrightOnB1000WithAdcBelowTheCoreThreshold() {
        Subject subject = new Subject(26, 70, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 1, 20);
        PhantomRenderer renderer = new PhantomRenderer(new HeadAnatomy(subject), 40);
        ImageGrid grid = PhantomStudy.grid(SeriesRole.DWI, AXIAL);
        RenderedSeries dwi = renderer.render(SeriesRole.DWI, grid);
        RenderedSeries adc = renderer.render(SeriesRole.ADC, grid);
        int n = grid.voxelCount();
        double coreAdc = 0;
        double coreB1000 = 0;
        double wmAdc = 0;
        double wmB1000 = 0;
        double csfAdc = 0;
        int core = 0;
        int wm = 0;
        int csf = 0;
        for (int v = 0; v < n; v++) {
            if (dwi.lesionMask()[v] == 1) {
                coreAdc += adc.frames()[v];
                coreB1000 += dwi.frames()[n + v];
                core++;
            } else if (dwi.lesionMask()[v] == 0 && dwi.labels()[v] == Tissue.WHITE_MATTER.label) {
                wmAdc += adc.frames()[v];
                wmB1000 += dwi.frames()[n + v];
                wm++;
            } else if (dwi.labels()[v] == Tissue.LATERAL_VENTRICLE.label) {
                csfAdc += adc.frames()[v];
                csf++;
            }
        }
        assertTrue(core > 100, "core voxels: " + core);
        assertTrue(coreAdc / core < 620, "core ADC " + coreAdc / core);
        assertTrue(wmAdc / wm > 650 && wmAdc / wm < 900, "white matter ADC " + wmAdc / wm);
        assertTrue(csfAdc / csf > 2500, "ventricular CSF ADC " + csfAdc / csf);
        assertTrue(coreB1000 / core > 1.8 * wmB1000 / wm, "core bright on b=1000");
    }

    @Test
    void whiteMatterHyperintensitiesAreBrightOnFlair() {
        Subject old = PhantomFixtures.subject(27, 88, Subject.Sex.F, Subject.Diagnosis.CN);
        RenderedSeries flair = new PhantomRenderer(new HeadAnatomy(old), 40)
                .render(SeriesRole.FLAIR, PhantomStudy.grid(SeriesRole.FLAIR, AXIAL));
        double wmh = meanOf(flair, Tissue.WHITE_MATTER_HYPERINTENSITY);
        double wm = meanOf(flair, Tissue.WHITE_MATTER);
        double csf = meanOf(flair, Tissue.LATERAL_VENTRICLE);
        assertTrue(wmh > 1.5 * wm, "WMH " + wmh + " vs WM " + wm);
        assertTrue(csf < 0.4 * wm, "CSF suppressed on FLAIR: " + csf);
    }

    @Test
    void theMidSagittalPlaneFollowsThePose() {
        HeadAnatomy shifted = new HeadAnatomy(new Subject(28, 50, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0,
                new Vec3(5, -3, 2), 0, 0, 0));
        assertEquals(5, shifted.midSagittalOffsetMm(), 1e-9);
        HeadAnatomy turned = new HeadAnatomy(new Subject(28, 50, Subject.Sex.M, Subject.Diagnosis.CN, 10, -7, 12,
                Vec3.ZERO, 0, 0, 0));
        Vec3 n = turned.midSagittalNormal();
        assertEquals(10, Math.toDegrees(Math.atan2(n.y(), n.x())), 1e-9, "yaw");
        assertEquals(-7, Math.toDegrees(Math.asin(-n.z())), 1e-9, "roll");
    }

    private static double meanOf(RenderedSeries series, Tissue tissue) {
        double sum = 0;
        int n = 0;
        for (int v = 0; v < series.labels().length; v++) {
            if (series.labels()[v] == tissue.label) {
                sum += series.frames()[v];
                n++;
            }
        }
        assertTrue(n > 0, "no voxel labelled " + tissue);
        return sum / n;
    }

    @Test
    void contradictoryOrImpossibleSubjectsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Subject(1, 10, Subject.Sex.F, Subject.Diagnosis.CN,
                0, 0, 0, Vec3.ZERO, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Subject(1, 50, Subject.Sex.F, Subject.Diagnosis.CN,
                0, 0, 0, Vec3.ZERO, 0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new Subject(1, 50, Subject.Sex.F, Subject.Diagnosis.CN,
                60, 0, 0, Vec3.ZERO, 0, 0, 0));
    }

    private static double hippocampi(Subject subject) {
        double[] ml = t1Volumes(subject);
        return ml[Tissue.HIPPOCAMPUS_LEFT.label] + ml[Tissue.HIPPOCAMPUS_RIGHT.label];
    }

    private static double[] t1Volumes(Subject subject) {
        PhantomRenderer renderer = new PhantomRenderer(new HeadAnatomy(subject), 30);
        return PhantomStudy.volumesMl(renderer.render(SeriesRole.T1, PhantomStudy.grid(SeriesRole.T1, AXIAL)));
    }
}
