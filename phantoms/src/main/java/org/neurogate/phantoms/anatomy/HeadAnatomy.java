package org.neurogate.phantoms.anatomy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.neurogate.phantoms.geometry.Rotation;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * A smooth digital head, exactly left-right symmetric about the head frame's plane x = 0 until a
 * lesion, white-matter hyperintensities or a midline shift break the symmetry.
 *
 * <p>Head frame: patient LPS axes (x to the left, y posterior, z superior) centred on the intracranial
 * cavity. The pose maps it into patient coordinates: {@code p = R h + t}.
 *
 * <p>Ageing, with the sources of the rates used:
 * <ul>
 *   <li>Hippocampus: the median of cognitively normal adults of the same age for this head's size,
 *       from the NiChart DLMUSE ICV-adjusted centiles (CBICA NiChart_Project,
 *       dlmuse_centiles_CN-ICVNorm.csv, volumes scaled to an ICV of 1430 mL: the mean of the left and
 *       right medians, see {@link #HIPPOCAMPUS_MEDIAN_MM3}) times ICV / 1430 mL, with +-6 % individual
 *       variation. Hippocampi grow with the head, and most of the sex difference is head size.
 *       MCI: about 12 % below age-matched controls (Shi et al., Hippocampus 2009;19:1055-1064,
 *       meta-analysis: 11-13 %).</li>
 *   <li>Grey matter: -0.5 %/year from 40 and -0.83 %/year from 65 (Crivello et al., PLoS One
 *       2014;9:e114478: -0.83 %/year global GM loss at 65-82), modelled as cortical thinning.</li>
 *   <li>Lateral and third ventricles: +2.5 %/year volume from 40, compounding (ventricular enlargement
 *       of roughly 2-4 %/year in healthy older adults, e.g. Nestor et al., Brain 2008;131:2443-2454).</li>
 *   <li>Sulcal CSF widens by 0.05 mm/year from 40, following the same grey-matter loss.</li>
 * </ul>
 */
public final class HeadAnatomy {

    private static final double SCALP_OFFSET_MM = 12;
    private static final double SKULL_OFFSET_MM = 6;
    /** Septum pellucidum centre in the undeformed head frame: where midline shift is measured. */
    public static final Vec3 SEPTUM_CENTRE = new Vec3(0, -2, 14);
    public static final Vec3 THIRD_VENTRICLE_CENTRE = new Vec3(0, 6, -4);

    private final Subject subject;
    private final Ellipsoid icv;
    private final double csfThickness;
    private final double greyMatterThickness;
    private final double fissureHalfWidth;
    private final List<Structure> structures = new ArrayList<>();
    private final List<Lesion> lesions = new ArrayList<>();
    private final List<Ellipsoid> whiteMatterHyperintensities = new ArrayList<>();
    private final Rotation pose;
    private final Rotation toHead;
    private final MidlineShift shift;
    private final double hippocampalVolumeFactor;

    /** Ages of {@link #HIPPOCAMPUS_MEDIAN_MM3}'s columns. */
    private static final double[] MEDIAN_AGES = {40, 50, 60, 70, 80, 90};
    /**
     * One hippocampus (mean of left and right), median volume in mm^3 of cognitively normal adults with
     * an ICV of {@link #NORM_ICV_MM3}, by age: NiChart DLMUSE ICV-adjusted centiles, 50th centile.
     */
    static final double[] HIPPOCAMPUS_MEDIAN_MM3 = {4019.0, 4034.0, 4035.5, 3899.0, 3677.0, 3432.0};
    /** The ICV the NiChart ICV-adjusted volumes are scaled to. */
    static final double NORM_ICV_MM3 = 1430e3;
    /** Volume of the hippocampal ellipsoid at unit scale (semi-axes 7.3 x 20 x 6.4 mm). */
    private static final double HIPPOCAMPAL_ELLIPSOID_MM3 = 4.0 / 3 * Math.PI * 7.3 * 20 * 6.4;

    private record Structure(Tissue tissue, Ellipsoid shape, boolean fromWhiteMatterOnly) {
    }

    /** A stroke lesion: a union of ellipsoids; the core is the same union shrunk. */
    record Lesion(List<Ellipsoid> parts, List<Ellipsoid> coreParts, int hemisphere) {
    }

    public HeadAnatomy(Subject subject) {
        this.subject = subject;
        SplittableRandom random = new SplittableRandom(subject.seed());
        // Men's heads are about 12 % larger by volume than women's; with individual variation the ICV
        // stays within 1.25-1.6 L.
        double sexScale = subject.sex() == Subject.Sex.M ? 1.035 : 0.975;
        double individual = jitter(random, 0.02);
        double scale = sexScale * individual * subject.headScale();
        icv = Ellipsoid.axisAligned(Vec3.ZERO, 65 * scale * jitter(random, 0.01), 85 * scale * jitter(random, 0.01),
                60.5 * scale * jitter(random, 0.01));

        double age = subject.ageYears();
        double yearsOver40 = Math.max(0, age - 40);
        double yearsOver65 = Math.max(0, age - 65);
        csfThickness = (2.5 + 0.05 * yearsOver40) * subject.headScale();
        double greyMatterLoss = Math.pow(1 - 0.005, yearsOver40) * Math.pow(1 - 0.0033, yearsOver65);
        // The folded cortex, unfolded onto a smooth head, is a mantle about 16 mm deep: that gives grey
        // matter about half and white matter about 40 % of a young adult's intracranial volume.
        greyMatterThickness = 16.0 * subject.headScale() * greyMatterLoss * (subject.diagnosis() == Subject.Diagnosis.MCI ? 0.97 : 1.0);
        fissureHalfWidth = (0.8 + 0.02 * yearsOver40) * subject.headScale();
        double ventricleScale = Math.cbrt(Math.pow(1.025, yearsOver40)) * jitter(random, 0.05) * subject.headScale();
        double targetMm3 = medianHippocampusMm3(age) * icv.volume() / NORM_ICV_MM3
                * (subject.diagnosis() == Subject.Diagnosis.MCI ? 0.88 : 1.0) * jitter(random, 0.06);
        hippocampalVolumeFactor = targetMm3 / HIPPOCAMPAL_ELLIPSOID_MM3;
        double hippocampalScale = Math.cbrt(hippocampalVolumeFactor);

        // Priority order: later structures take their share from what earlier ones left.
        addPair(Tissue.DEEP_GREY_MATTER, new Ellipsoid(new Vec3(10, 8, 0).times(scale), 7 * scale, 12 * scale,
                7 * scale, Rotation.IDENTITY), false);
        addPair(Tissue.DEEP_GREY_MATTER, new Ellipsoid(new Vec3(20, -8, 4).times(scale), 5.5 * scale, 14 * scale,
                9 * scale, Rotation.aboutZ(-12)), false);
        Ellipsoid hippocampusLeft = new Ellipsoid(new Vec3(27, 10, -17).times(scale), 7.3 * hippocampalScale,
                20 * hippocampalScale, 6.4 * hippocampalScale, Rotation.aboutX(25));
        structures.add(new Structure(Tissue.HIPPOCAMPUS_LEFT, hippocampusLeft, false));
        structures.add(new Structure(Tissue.HIPPOCAMPUS_RIGHT, hippocampusLeft.mirrored(), false));
        int wmhCount = (int) Math.max(0, Math.round((age - 50) / 10.0 + (random.nextDouble() - 0.5) * 2));
        for (int i = 0; i < wmhCount; i++) {
            int side = random.nextBoolean() ? 1 : -1;
            boolean anterior = random.nextBoolean();
            Vec3 centre = new Vec3(side * (12 + random.nextDouble() * 6), anterior ? -24 - random.nextDouble() * 4
                    : 26 + random.nextDouble() * 6, 12 + random.nextDouble() * 8).times(scale);
            Ellipsoid w = Ellipsoid.axisAligned(centre, 2 + random.nextDouble() * 2.5, 2 + random.nextDouble() * 3,
                    2 + random.nextDouble() * 2.5);
            whiteMatterHyperintensities.add(w);
            structures.add(new Structure(Tissue.WHITE_MATTER_HYPERINTENSITY, w, true));
        }
        structures.add(new Structure(Tissue.THIRD_VENTRICLE, new Ellipsoid(THIRD_VENTRICLE_CENTRE.times(scale),
                1.4 * ventricleScale, 11 * scale, 7 * scale, Rotation.IDENTITY), false));
        addPair(Tissue.LATERAL_VENTRICLE, new Ellipsoid(new Vec3(6.5 * ventricleScale, -2 * scale, 14 * scale),
                5.5 * ventricleScale, 28 * scale * Math.sqrt(ventricleScale), 10 * ventricleScale, Rotation.aboutZ(-6)),
                false);
        addPair(Tissue.LATERAL_VENTRICLE, new Ellipsoid(new Vec3(14 * scale, 28 * scale, 8 * scale),
                4.5 * ventricleScale, 13 * scale, 6 * ventricleScale, Rotation.aboutZ(20)), false);

        for (int i = 0; i < subject.lesionCount(); i++) {
            double target = subject.lesionVolumeMl() * 1000 / subject.lesionCount()
                    * (subject.lesionCount() == 1 ? 1 : 0.7 + random.nextDouble() * 0.6);
            lesions.add(lesion(random, target));
        }
        pose = Rotation.fromYawRollPitch(subject.yawDeg(), subject.rollDeg(), subject.pitchDeg());
        toHead = pose.inverse();
        shift = new MidlineShift(subject.midlineShiftMm(), icv);
    }

    private void addPair(Tissue tissue, Ellipsoid left, boolean fromWhiteMatterOnly) {
        structures.add(new Structure(tissue, left, fromWhiteMatterOnly));
        structures.add(new Structure(tissue, left.mirrored(), fromWhiteMatterOnly));
    }

    private static double jitter(SplittableRandom random, double amount) {
        return 1 + (random.nextDouble() * 2 - 1) * amount;
    }

    /**
     * A middle-cerebral-artery-territory-like lesion: two or three overlapping ellipsoids in the lateral
     * hemisphere, their union scaled to {@code volumeMm3} (less what falls outside the parenchyma).
     * Part of it may be penumbra-like: the core is the same union shrunk to 60-90 % (in 30 % of
     * lesions the whole lesion is core).
     */
    private Lesion lesion(SplittableRandom random, double volumeMm3) {
        int side = random.nextBoolean() ? 1 : -1;
        Vec3 centre = new Vec3(side * icv.a * (0.42 + random.nextDouble() * 0.12), icv.b * (random.nextDouble() - 0.5) * 0.45,
                icv.c * (0.05 + random.nextDouble() * 0.35));
        int n = 2 + random.nextInt(2);
        List<Ellipsoid> unit = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Vec3 offset = new Vec3((random.nextDouble() - 0.5) * 0.5, (random.nextDouble() - 0.5) * 1.2,
                    (random.nextDouble() - 0.5) * 0.9);
            unit.add(new Ellipsoid(offset, 0.6 + random.nextDouble() * 0.3, 1.0 + random.nextDouble() * 0.5,
                    0.8 + random.nextDouble() * 0.4, Rotation.aboutZ(random.nextDouble() * 40 - 20)));
        }
        double factor = Math.cbrt(volumeMm3 / unionVolume(unit, random.split()));
        List<Ellipsoid> parts = new ArrayList<>();
        for (Ellipsoid e : unit) {
            parts.add(new Ellipsoid(centre.plus(e.centre.times(factor)), e.a * factor, e.b * factor, e.c * factor,
                    e.rotation()));
        }
        double coreShrink = random.nextDouble() < 0.3 ? 1.0 : 0.6 + random.nextDouble() * 0.3;
        List<Ellipsoid> core = new ArrayList<>();
        for (Ellipsoid e : parts) {
            core.add(e.scaled(coreShrink));
        }
        return new Lesion(parts, core, side);
    }

    /** Volume of a union of ellipsoids by Monte Carlo over their bounding box (20,000 seeded samples). */
    private static double unionVolume(List<Ellipsoid> parts, SplittableRandom random) {
        double reach = 0;
        for (Ellipsoid e : parts) {
            reach = Math.max(reach, e.centre.norm() + Math.max(e.a, Math.max(e.b, e.c)));
        }
        int inside = 0;
        int samples = 20_000;
        for (int i = 0; i < samples; i++) {
            double x = (random.nextDouble() * 2 - 1) * reach;
            double y = (random.nextDouble() * 2 - 1) * reach;
            double z = (random.nextDouble() * 2 - 1) * reach;
            for (Ellipsoid e : parts) {
                if (e.signedDistance(x, y, z) <= 0) {
                    inside++;
                    break;
                }
            }
        }
        return Math.pow(2 * reach, 3) * inside / samples;
    }

    public Subject subject() {
        return subject;
    }

    public Rotation pose() {
        return pose;
    }

    /** Unit normal of the mid-sagittal plane in patient coordinates. */
    public Vec3 midSagittalNormal() {
        return pose.apply(new Vec3(1, 0, 0));
    }

    /** Signed distance of the mid-sagittal plane from the patient origin along its normal. */
    public double midSagittalOffsetMm() {
        return midSagittalNormal().dot(subject.translation());
    }

    /** Patient coordinates of a head-frame point, after the midline shift deformation. */
    public Vec3 toPatient(Vec3 head) {
        return pose.apply(shift.forward(head)).plus(subject.translation());
    }

    /** Displacement of the septum pellucidum along the head's x axis, which is the truth of midline shift. */
    public double septumDisplacementMm() {
        return shift.forward(SEPTUM_CENTRE).x() - SEPTUM_CENTRE.x();
    }

    public double thirdVentricleDisplacementMm() {
        return shift.forward(THIRD_VENTRICLE_CENTRE).x() - THIRD_VENTRICLE_CENTRE.x();
    }

    public int whiteMatterHyperintensityCount() {
        return whiteMatterHyperintensities.size();
    }

    public int lesionCount() {
        return lesions.size();
    }

    /**
     * Fills {@code out} with what lies at patient point (px, py, pz); {@code blurMm} is the width over
     * which a boundary blends (about one voxel), which gives partial-volume edges.
     */
    public void sample(double px, double py, double pz, double blurMm, TissueSample out) {
        out.clear();
        double[] f = out.fraction;
        Vec3 deformed = toHead.apply(new Vec3(px - subject.translation().x(), py - subject.translation().y(),
                pz - subject.translation().z()));
        Vec3 h = shift.inverse(deformed);
        double x = h.x();
        double y = h.y();
        double z = h.z();
        double head = inside(icv.signedDistance(x, y, z) - SCALP_OFFSET_MM, blurMm);
        if (head <= 0) {
            f[Tissue.BACKGROUND.ordinal()] = 1;
            return;
        }
        double dIcv = icv.signedDistance(x, y, z);
        double skull = inside(dIcv - SKULL_OFFSET_MM, blurMm);
        double intracranial = inside(dIcv, blurMm);
        double brain = inside(dIcv + csfThickness, blurMm);
        double white = inside(dIcv + csfThickness + greyMatterThickness * folding(x, y, z), blurMm);
        f[Tissue.BACKGROUND.ordinal()] = 1 - head;
        f[Tissue.SCALP.ordinal()] = head - skull;
        f[Tissue.SKULL.ordinal()] = skull - intracranial;
        f[Tissue.CSF.ordinal()] = intracranial - brain;
        f[Tissue.GREY_MATTER.ordinal()] = brain - white;
        f[Tissue.WHITE_MATTER.ordinal()] = white;
        if (brain <= 0) {
            return;
        }
        for (Structure s : structures) {
            if (s.shape().farOutside(x, y, z, blurMm)) {
                continue;
            }
            double share = inside(s.shape().signedDistance(x, y, z), blurMm);
            if (share > 0) {
                paint(f, s.tissue(), share, s.fromWhiteMatterOnly());
            }
        }
        // The interhemispheric fissure above the corpus callosum: CSF between the hemispheres.
        if (z > 14 && Math.abs(x) < fissureHalfWidth + blurMm) {
            double fissure = inside(Math.abs(x) - fissureHalfWidth, blurMm) * Math.min(1, (z - 14) / 4);
            double parenchyma = f[Tissue.GREY_MATTER.ordinal()] + f[Tissue.WHITE_MATTER.ordinal()];
            f[Tissue.CSF.ordinal()] += parenchyma * fissure;
            f[Tissue.GREY_MATTER.ordinal()] *= 1 - fissure;
            f[Tissue.WHITE_MATTER.ordinal()] *= 1 - fissure;
        }
        for (Lesion lesion : lesions) {
            double whole = 0;
            double core = 0;
            for (int i = 0; i < lesion.parts().size(); i++) {
                Ellipsoid part = lesion.parts().get(i);
                if (part.farOutside(x, y, z, blurMm)) {
                    continue;
                }
                whole = Math.max(whole, inside(part.signedDistance(x, y, z), blurMm));
                core = Math.max(core, inside(lesion.coreParts().get(i).signedDistance(x, y, z), blurMm));
            }
            if (whole > 0) {
                // A stroke affects parenchyma only, not the ventricles or CSF beside it.
                double parenchyma = f[Tissue.GREY_MATTER.ordinal()] + f[Tissue.WHITE_MATTER.ordinal()]
                        + f[Tissue.DEEP_GREY_MATTER.ordinal()] + f[Tissue.WHITE_MATTER_HYPERINTENSITY.ordinal()];
                out.lesionCore = Math.max(out.lesionCore, core * parenchyma);
                out.lesionPenumbra = Math.max(out.lesionPenumbra, (whole - core) * parenchyma);
            }
        }
    }

    /** Moves {@code share} of the brain parenchyma at this point into {@code tissue}. */
    private static void paint(double[] f, Tissue tissue, double share, boolean fromWhiteMatterOnly) {
        Tissue[] pool = fromWhiteMatterOnly ? WM_POOL : PARENCHYMA_POOL;
        double taken = 0;
        for (Tissue t : pool) {
            if (t == tissue) {
                continue;
            }
            double amount = f[t.ordinal()] * share;
            f[t.ordinal()] -= amount;
            taken += amount;
        }
        f[tissue.ordinal()] += taken;
    }

    private static final Tissue[] WM_POOL = {Tissue.WHITE_MATTER};
    private static final Tissue[] PARENCHYMA_POOL = {Tissue.GREY_MATTER, Tissue.WHITE_MATTER, Tissue.DEEP_GREY_MATTER,
        Tissue.HIPPOCAMPUS_LEFT, Tissue.HIPPOCAMPUS_RIGHT, Tissue.WHITE_MATTER_HYPERINTENSITY};

    /**
     * Gyral folding: white-matter fingers reach into the mantle, which is 0.5 to 1.5 times its mean
     * depth on a roughly 2 cm pattern, symmetric in x.
     */
    private static double folding(double x, double y, double z) {
        return 1 + 0.5 * Math.cos(0.31 * x) * Math.sin(0.29 * y + 0.7) * Math.sin(0.33 * z + 0.3);
    }

    /** Partial-volume share of a point at signed distance {@code d} from a boundary blurred over {@code width}. */
    private static double inside(double d, double width) {
        double v = 0.5 - d / width;
        return v <= 0 ? 0 : v >= 1 ? 1 : v;
    }

    /** Normative median of one hippocampus, linear between the tabulated ages and constant beyond them. */
    static double medianHippocampusMm3(double age) {
        double[] row = HIPPOCAMPUS_MEDIAN_MM3;
        if (age <= MEDIAN_AGES[0]) {
            return row[0];
        }
        for (int i = 1; i < MEDIAN_AGES.length; i++) {
            if (age <= MEDIAN_AGES[i]) {
                double t = (age - MEDIAN_AGES[i - 1]) / (MEDIAN_AGES[i] - MEDIAN_AGES[i - 1]);
                return row[i - 1] + t * (row[i] - row[i - 1]);
            }
        }
        return row[row.length - 1];
    }

    /** Nominal hippocampal volume relative to the unit ellipsoid, from sex, age, diagnosis and variation. */
    public double hippocampalVolumeFactor() {
        return hippocampalVolumeFactor;
    }
}
