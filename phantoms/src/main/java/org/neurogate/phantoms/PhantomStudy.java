package org.neurogate.phantoms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.neurogate.phantoms.anatomy.HeadAnatomy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.dicom.EnhancedMrWriter;
import org.neurogate.phantoms.dicom.MrImageWriter;
import org.neurogate.phantoms.dicom.SeriesProtocol;
import org.neurogate.phantoms.dicom.StudyIdentity;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Rotation;
import org.neurogate.phantoms.geometry.Vec3;
import org.neurogate.phantoms.nifti.Nifti1;

/**
 * Writes one phantom study: {@code dicom/} with a series per contrast, {@code truth/} with label maps
 * and lesion masks on each series' own grid, and {@code truth.json}. Every truth volume is counted on
 * the written label maps, not taken from the generator's parameters.
 */
public final class PhantomStudy {

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PhantomStudy() {
    }

    /** The series of a study, in writing order. */
    static final SeriesRole[] ROLES = {SeriesRole.T1, SeriesRole.FLAIR, SeriesRole.DWI, SeriesRole.ADC};

    public static Map<String, Object> write(Subject subject, AcquisitionOptions acquisition, Path out)
            throws IOException {
        return write(subject, Visit.synthetic(subject), acquisition, out);
    }

    /** One visit of a subject: the same seed on another date is the same head, aged to that date. */
    public static Map<String, Object> write(Subject subject, Visit visit, AcquisitionOptions acquisition, Path out)
            throws IOException {
        HeadAnatomy anatomy = new HeadAnatomy(subject);
        PhantomRenderer renderer = new PhantomRenderer(anatomy, acquisition.snr(), acquisition.snrOfDiffusion(),
                acquisition.skullStrippedDiffusion());
        StudyIdentity identity = identity(subject, visit);
        Map<SeriesRole, RenderedSeries> rendered = new EnumMap<>(SeriesRole.class);
        List<Map<String, Object>> seriesTruth = new ArrayList<>();
        int number = 0;
        for (SeriesRole role : ROLES) {
            number++;
            ImageGrid grid = grid(role, acquisition);
            RenderedSeries series = renderer.render(role, grid);
            rendered.put(role, series);
            SeriesProtocol protocol = protocol(subject.seed(), identity.studyDate(), role, number, acquisition.plane(),
                    series.bValues());
            Path dir = out.resolve("dicom").resolve(String.format(Locale.ROOT, "%02d_%s", number, role.fileName));
            java.util.function.Function<String, String> uids = uids(subject.seed(), identity.studyDate());
            List<Path> files = acquisition.enhanced()
                    ? EnhancedMrWriter.write(series, identity, protocol, uids, acquisition.transferSyntaxUid(), dir)
                    : MrImageWriter.write(series, identity, protocol, uids, acquisition.transferSyntaxUid(), dir);
            Nifti1.writeLabels(out.resolve("truth").resolve("labels_" + role.fileName + ".nii.gz"), grid, series.labels());
            Nifti1.writeLabels(out.resolve("truth").resolve("lesion_mask_" + role.fileName + ".nii.gz"), grid,
                    series.lesionMask());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("role", role.name());
            s.put("series_instance_uid", protocol.seriesInstanceUid());
            s.put("series_number", number);
            s.put("series_description", protocol.seriesDescription());
            s.put("directory", out.relativize(dir).toString());
            s.put("instances", files.size());
            s.put("columns", grid.columns());
            s.put("rows", grid.rows());
            s.put("slices", grid.slices());
            s.put("spacing_mm", new double[] {grid.columnSpacing(), grid.rowSpacing(), grid.sliceSpacing()});
            s.put("b_values", series.bValues());
            seriesTruth.add(s);
        }
        Map<String, Object> truth = truth(subject, acquisition, anatomy, identity, rendered, seriesTruth);
        Files.createDirectories(out);
        JSON.writeValue(out.resolve("truth.json").toFile(), truth);
        return truth;
    }

    static Map<String, Object> truth(Subject subject, AcquisitionOptions acquisition, HeadAnatomy anatomy,
                                     StudyIdentity identity, Map<SeriesRole, RenderedSeries> rendered,
                                     List<Map<String, Object>> seriesTruth) {
        RenderedSeries t1 = rendered.get(SeriesRole.T1);
        double[] t1Ml = volumesMl(t1);
        double icv = 0;
        for (Tissue t : Tissue.ALL) {
            if (t.intracranial()) {
                icv += t1Ml[t.label];
            }
        }
        RenderedSeries dwi = rendered.get(SeriesRole.DWI);
        double voxelMl = dwi.grid().voxelVolumeMm3() / 1000;
        long lesionVoxels = 0;
        long coreVoxels = 0;
        for (byte m : dwi.lesionMask()) {
            if (m != 0) {
                lesionVoxels++;
            }
            if (m == 1) {
                coreVoxels++;
            }
        }
        Vec3 normal = anatomy.midSagittalNormal();
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("seed", subject.seed());
        truth.put("age_years", round(ageYears(identity), 3));
        truth.put("sex", subject.sex().name());
        truth.put("diagnosis", subject.diagnosis().name());
        truth.put("patient_id", identity.patientId());
        truth.put("patient_age", identity.age());
        truth.put("head_scale", subject.headScale());
        truth.put("identity_keywords", identity.overrides().values().stream().map(v -> v.keyword()).toList());
        truth.put("patient_birth_date", identity.birthDate());
        truth.put("study_date", identity.studyDate());
        truth.put("study_instance_uid", identity.studyInstanceUid());
        truth.put("icv_ml", round(icv, 3));
        truth.put("hippocampus_left_ml", round(t1Ml[Tissue.HIPPOCAMPUS_LEFT.label], 3));
        truth.put("hippocampus_right_ml", round(t1Ml[Tissue.HIPPOCAMPUS_RIGHT.label], 3));
        truth.put("grey_matter_ml", round(t1Ml[Tissue.GREY_MATTER.label] + t1Ml[Tissue.DEEP_GREY_MATTER.label], 3));
        truth.put("white_matter_ml", round(t1Ml[Tissue.WHITE_MATTER.label]
                + t1Ml[Tissue.WHITE_MATTER_HYPERINTENSITY.label], 3));
        truth.put("csf_ml", round(t1Ml[Tissue.CSF.label] + t1Ml[Tissue.LATERAL_VENTRICLE.label]
                + t1Ml[Tissue.THIRD_VENTRICLE.label], 3));
        truth.put("ventricles_ml", round(t1Ml[Tissue.LATERAL_VENTRICLE.label] + t1Ml[Tissue.THIRD_VENTRICLE.label], 3));
        truth.put("wmh_volume_ml", round(volumesMl(rendered.get(SeriesRole.FLAIR))[Tissue.WHITE_MATTER_HYPERINTENSITY.label], 3));
        truth.put("wmh_count", anatomy.whiteMatterHyperintensityCount());
        truth.put("lesion_count", anatomy.lesionCount());
        truth.put("lesion_volume_ml", round(lesionVoxels * voxelMl, 3));
        truth.put("lesion_core_volume_ml", round(coreVoxels * voxelMl, 3));
        truth.put("lesion_core_adc_threshold", PhantomRenderer.CORE_THRESHOLD_ADC);
        // Where things are, in patient LPS mm: for checks of what a viewer draws where.
        truth.put("lesion_centroid_lps", centroid(dwi, dwi.lesionMask(), 1, 2));
        truth.put("hippocampus_left_centroid_lps", centroid(t1, t1.labels(), Tissue.HIPPOCAMPUS_LEFT.label));
        truth.put("hippocampus_right_centroid_lps", centroid(t1, t1.labels(), Tissue.HIPPOCAMPUS_RIGHT.label));
        truth.put("midline_shift_mm", round(Math.abs(anatomy.septumDisplacementMm()), 3));
        truth.put("midline_shift_direction", anatomy.septumDisplacementMm() == 0 ? "none"
                : anatomy.septumDisplacementMm() > 0 ? "left" : "right");
        truth.put("third_ventricle_shift_mm", round(Math.abs(anatomy.thirdVentricleDisplacementMm()), 3));
        truth.put("msp_yaw_deg", subject.yawDeg());
        truth.put("msp_roll_deg", subject.rollDeg());
        truth.put("msp_normal_lps", new double[] {round(normal.x(), 6), round(normal.y(), 6), round(normal.z(), 6)});
        truth.put("msp_offset_mm", round(anatomy.midSagittalOffsetMm(), 4));
        truth.put("head_pitch_deg", subject.pitchDeg());
        truth.put("head_translation_mm", subject.translation().toArray());
        Map<String, Object> acquired = new LinkedHashMap<>();
        acquired.put("t1_plane", acquisition.plane().name());
        acquired.put("oblique_deg", acquisition.obliqueDeg());
        acquired.put("enhanced", acquisition.enhanced());
        acquired.put("transfer_syntax_uid", acquisition.transferSyntaxUid());
        acquired.put("snr", acquisition.snr());
        acquired.put("diffusion_snr", acquisition.snrOfDiffusion());
        acquired.put("skull_stripped_diffusion", acquisition.skullStrippedDiffusion());
        acquired.put("slice_gap_mm", acquisition.sliceGapMm());
        truth.put("acquisition", acquired);
        truth.put("series", seriesTruth);
        Map<String, Object> labels = new LinkedHashMap<>();
        for (Tissue t : Tissue.ALL) {
            labels.put(Integer.toString(t.label), t.name().toLowerCase(Locale.ROOT));
        }
        truth.put("label_table", labels);
        truth.put("lesion_mask_table", Map.of("0", "no lesion", "1", "lesion core (ADC < 620)",
                "2", "lesion outside the core (penumbra-like, ADC 620-800)"));
        return truth;
    }

    /** Label volumes in mL, indexed by label value. */
    /** Patient centroid of the voxels with any of the labels, rounded to 0.01 mm; null when there are none. */
    static double[] centroid(RenderedSeries series, byte[] labels, int... wanted) {
        ImageGrid g = series.grid();
        double x = 0;
        double y = 0;
        double z = 0;
        long n = 0;
        int perSlice = g.columns() * g.rows();
        for (int index = 0; index < labels.length; index++) {
            for (int w : wanted) {
                if (labels[index] == w) {
                    Vec3 p = g.voxelToPatient(index % g.columns(), (index % perSlice) / g.columns(), index / perSlice);
                    x += p.x();
                    y += p.y();
                    z += p.z();
                    n++;
                }
            }
        }
        return n == 0 ? null : new double[] {round(x / n, 2), round(y / n, 2), round(z / n, 2)};
    }

    static double[] volumesMl(RenderedSeries series) {
        long[] counts = new long[Tissue.ALL.length];
        for (byte label : series.labels()) {
            counts[label]++;
        }
        double[] ml = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            ml[i] = counts[i] * series.grid().voxelVolumeMm3() / 1000;
        }
        return ml;
    }

    /** Grid of each series, centred on the scanner isocentre (the patient origin). */
    static ImageGrid grid(SeriesRole role, AcquisitionOptions acquisition) {
        Rotation tilt = Rotation.aboutX(acquisition.obliqueDeg()).then(Rotation.aboutY(acquisition.obliqueDeg() / 2));
        AcquisitionOptions.Plane plane = role == SeriesRole.T1 ? acquisition.plane() : AcquisitionOptions.Plane.AXIAL;
        Vec3 row;
        Vec3 column;
        switch (plane) {
            case SAGITTAL -> {
                row = new Vec3(0, 1, 0);
                column = new Vec3(0, 0, -1);
            }
            case CORONAL -> {
                row = new Vec3(1, 0, 0);
                column = new Vec3(0, 0, -1);
            }
            default -> {
                row = new Vec3(1, 0, 0);
                column = new Vec3(0, 1, 0);
            }
        }
        row = tilt.apply(row);
        column = tilt.apply(column);
        return switch (role) {
            case T1 -> ImageGrid.centred(256, 256, plane == AcquisitionOptions.Plane.CORONAL ? 216 : 176,
                    1, 1, 1, 1, row, column, Vec3.ZERO);
            case FLAIR -> twoDimensional(256, 0.9, acquisition, 5, row, column);
            case DWI, ADC -> twoDimensional(128, 1.8, acquisition, 4, row, column);
        };
    }

    /** A 2D multi-slice grid covering 160 mm along the slice direction. */
    private static ImageGrid twoDimensional(int matrix, double pixelMm, AcquisitionOptions acquisition,
                                            double defaultThickness, Vec3 row, Vec3 column) {
        double thickness = acquisition.sliceThicknessMm() > 0 ? acquisition.sliceThicknessMm() : defaultThickness;
        double spacing = thickness + acquisition.sliceGapMm();
        int slices = (int) Math.ceil(160 / spacing);
        return ImageGrid.centred(matrix, matrix, slices, pixelMm, pixelMm, spacing, thickness, row, column, Vec3.ZERO);
    }

    /**
     * UIDs of one visit: from the seed and the study date, so a follow-up of the same subject is a new
     * study with new series and instances, and the same visit written twice is the same study.
     */
    static java.util.function.Function<String, String> uids(long seed, String studyDate) {
        return label -> SyntheticMrSeries.uid(seed, studyDate + "/" + label);
    }

    /** @param bValues the diffusion series' b-values, which its description and sequence name list */
    static SeriesProtocol protocol(long seed, String studyDate, SeriesRole role, int number,
                                   AcquisitionOptions.Plane plane, int[] bValues) {
        String uid = uids(seed, studyDate).apply("series-" + role.fileName);
        String planeName = plane.name().substring(0, 3).toLowerCase(Locale.ROOT);
        String bList = java.util.Arrays.stream(bValues).mapToObj(b -> "b" + b).collect(Collectors.joining(" "));
        String sequence = "ep_b" + java.util.Arrays.stream(bValues).mapToObj(Integer::toString)
                .collect(Collectors.joining("_")) + "t";
        return switch (role) {
            case T1 -> new SeriesProtocol(uid, number, "T1 MPRAGE 3D " + planeName, "ORIGINAL\\PRIMARY\\M\\ND",
                    "GR\\IR", "SK\\SP\\MP", "3D", 2300, 2.98, 900.0, 9, "tfl3d1");
            case FLAIR -> new SeriesProtocol(uid, number, "FLAIR ax", "ORIGINAL\\PRIMARY\\M\\ND",
                    "SE\\IR", "SK\\SP\\MP", "2D", 9000, 81, 2500.0, 150, "tir2d1");
            case DWI -> new SeriesProtocol(uid, number, "DWI ax " + bList + " TRACEW",
                    "ORIGINAL\\PRIMARY\\DIFFUSION\\TRACEW", "EP", "SK\\SP", "2D", 5000, 89, null, 90, sequence);
            case ADC -> new SeriesProtocol(uid, number, "DWI ax ADC", "DERIVED\\PRIMARY\\DIFFUSION\\ADC",
                    "EP", "SK\\SP", "2D", 5000, 89, null, 90, "ep_b0_1000t");
        };
    }

    /** Synthetic demographics: the birth date is chosen so that PatientAge and the truth agree. */
    static StudyIdentity identity(Subject subject) {
        return identity(subject, Visit.synthetic(subject));
    }

    static StudyIdentity identity(Subject subject, Visit visit) {
        long seed = subject.seed();
        LocalDate birth = visit.birthDate();
        LocalDate studyDate = visit.studyDate();
        java.util.function.Function<String, String> uids = uids(seed, studyDate.format(DA));
        return new StudyIdentity("PHANTOM^SUBJECT" + seed, visit.patientId(), birth.format(DA),
                subject.sex().name(), String.format(Locale.ROOT, "%03dY", ChronoUnit.YEARS.between(birth, studyDate)),
                uids.apply("study"), studyDate.format(DA), "101500",
                "NGA" + Math.floorMod(seed + studyDate.toEpochDay(), 1_000_000), uids.apply("frame-of-reference"),
                visit.identity());
    }

    private static double ageYears(StudyIdentity identity) {
        return Visit.ageYears(LocalDate.parse(identity.birthDate(), DA), LocalDate.parse(identity.studyDate(), DA));
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
