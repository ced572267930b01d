package org.neurogate.reports;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.longitudinal.ChangeSincePrior;

/**
 * Turns one study's analysis into the SEGs and the TID 1500 SR sent back to the PACS: SEGs of the
 * infarct, the ischaemic core, the T1 structures (ventricles, hippocampi) and the intracranial cavity,
 * and the SR whose measurement groups reference those segments, place the key findings on source
 * images and carry the change since the prior study.
 *
 * <p>Every UID is derived from the study UID and a caller's key (the analysis job), so producing the
 * report twice for the same job yields the same objects: a retried job cannot put two reports in the PACS.
 */
public final class StudyReport {

    /** What the deployment says about its reports. */
    public record Settings(Equipment equipment, String disclaimer, String contentDateTime) {
    }

    /** The objects, SEGs first (the SR references them). */
    public record Objects(List<AttributeList> segmentations, AttributeList report) {
        public List<AttributeList> all() {
            List<AttributeList> all = new ArrayList<>(segmentations);
            all.add(report);
            return all;
        }
    }

    static final Segment INFARCT = new Segment(Set.of(1, 2), "Infarct", Concepts.CATEGORY_ALTERED, Concepts.INFARCT);
    static final Segment CORE = new Segment(1, "Ischemic core", Concepts.CATEGORY_ALTERED, Concepts.ISCHAEMIC_CORE);
    static final Segment LEFT_HIPPOCAMPUS = new Segment(StudyAnalyzer.LABEL_HIPPOCAMPUS_LEFT, "Left hippocampus",
            Concepts.CATEGORY_ANATOMY, Concepts.HIPPOCAMPUS_LEFT);
    static final Segment RIGHT_HIPPOCAMPUS = new Segment(StudyAnalyzer.LABEL_HIPPOCAMPUS_RIGHT, "Right hippocampus",
            Concepts.CATEGORY_ANATOMY, Concepts.HIPPOCAMPUS_RIGHT);
    static final Segment VENTRICLES = new Segment(StudyAnalyzer.LABEL_VENTRICLES, "Ventricles", Concepts.CATEGORY_ANATOMY,
            Concepts.VENTRICLES);
    static final Segment INTRACRANIAL = new Segment(Set.of(1, 2, 3, 4, 5, 6), "Intracranial cavity",
            Concepts.CATEGORY_ANATOMY, Concepts.INTRACRANIAL_VOLUME);

    private StudyReport() {
    }

    /**
     * One SEG: a label map's segments that share no voxel, so that every SEG is BINARY without overlaps
     * (viewers such as OHIF refuse or mis-draw overlapping segments). The infarct holds the core and
     * the intracranial cavity holds every structure, so each goes in a SEG of its own.
     */
    private record SegPart(String labelMap, String role, int seriesNumber, String description, String contentLabel,
                           String algorithm, List<Segment> segments) {
    }

    private static final List<SegPart> SEG_PARTS = List.of(
            new SegPart("lesion_mask", "lesion_mask", 9001, "NeuroGate stroke lesion", "LESION", "diffusion-lesion",
                    List.of(INFARCT)),
            new SegPart("lesion_mask", "lesion_core", 9003, "NeuroGate ischemic core", "CORE", "diffusion-lesion",
                    List.of(CORE)),
            new SegPart("labels_t1", "labels_t1", 9002, "NeuroGate brain structures", "STRUCTURES", "brain structures",
                    List.of(VENTRICLES, LEFT_HIPPOCAMPUS, RIGHT_HIPPOCAMPUS)),
            new SegPart("labels_t1", "labels_icv", 9004, "NeuroGate intracranial cavity", "ICV", "brain structures",
                    List.of(INTRACRANIAL)));

    /** The report without a longitudinal comparison. */
    public static Objects build(StudyAnalyzer.StudyAnalysis analysis, Map<String, SourceSeries> sources,
                                AttributeList studyHeader, Settings settings, String key) throws DicomException {
        return build(analysis, sources, studyHeader, settings, key, null, null);
    }

    /**
     * @param sources the source series by Series Instance UID (at least those the label maps lie on)
     * @param key     what makes this report unique within the study (the analysis job's id)
     * @param change  the comparison with the prior study, or null
     * @param prior   the prior study's objects, cited as evidence when {@code change} compared something
     */
    public static Objects build(StudyAnalyzer.StudyAnalysis analysis, Map<String, SourceSeries> sources,
                                AttributeList studyHeader, Settings settings, String key, ChangeSincePrior change,
                                MeasurementReportWriter.PriorStudy prior) throws DicomException {
        Findings f = analysis.findings();
        String study = f.studyInstanceUid();
        List<AttributeList> segs = new ArrayList<>();
        List<MeasurementReportWriter.StoredObject> stored = new ArrayList<>();
        Map<Segment, MeasurementGroup.SegmentReference> refs = new LinkedHashMap<>();
        for (SegPart part : SEG_PARTS) {
            StudyAnalyzer.LabelMap labels = analysis.labelMaps().get(part.labelMap());
            if (labels == null) {
                continue;
            }
            SourceSeries source = sources.get(labels.sourceSeriesUid());
            if (source == null) {
                throw new IllegalArgumentException("no source series " + labels.sourceSeriesUid() + " for " + part.labelMap());
            }
            String series = uid(study, key, part.role() + "-series");
            String sop = uid(study, key, part.role() + "-instance");
            SegmentationWriter.Written seg = SegmentationWriter.write(labels.labels(), part.segments(), source, studyHeader,
                    settings.equipment(), new SegmentationWriter.SeriesInfo(series, sop, part.seriesNumber(),
                            part.description(), part.contentLabel(), "NeuroGate " + part.algorithm(),
                            settings.equipment().softwareVersion()), settings.contentDateTime());
            if (seg == null) {
                continue;
            }
            segs.add(seg.dataset());
            stored.add(new MeasurementReportWriter.StoredObject(series, SOPClass.SegmentationStorage, sop));
            for (Segment s : seg.segments()) {
                refs.put(s, new MeasurementGroup.SegmentReference(SOPClass.SegmentationStorage, sop, seg.segmentNumber(s)));
            }
        }
        List<Measurement> all = f.measurements();
        List<MeasurementGroup> groups = new ArrayList<>();
        String lesionSeries = f.lesion() == null ? null : f.lesion().sourceSeriesUid();
        String t1Series = f.mci() == null ? null : f.mci().sourceSeriesUid();
        group(groups, study, key, "Infarct", Concepts.INFARCT, refs.get(INFARCT), lesionSeries, all,
                m -> m.analysis().equals("lesion") && !m.name().equals("core_volume_ml"));
        group(groups, study, key, "Ischemic core", Concepts.ISCHAEMIC_CORE, refs.get(CORE), lesionSeries, all,
                m -> m.analysis().equals("lesion") && m.name().equals("core_volume_ml"));
        group(groups, study, key, "Left hippocampus", Concepts.HIPPOCAMPUS_LEFT, refs.get(LEFT_HIPPOCAMPUS), t1Series, all,
                m -> m.analysis().equals("mci") && m.name().startsWith("hippocampus_left"));
        group(groups, study, key, "Right hippocampus", Concepts.HIPPOCAMPUS_RIGHT, refs.get(RIGHT_HIPPOCAMPUS), t1Series, all,
                m -> m.analysis().equals("mci") && m.name().startsWith("hippocampus_right"));
        group(groups, study, key, "Ventricles", Concepts.VENTRICLES, refs.get(VENTRICLES), t1Series, all,
                m -> m.analysis().equals("mci") && m.name().startsWith("ventricles"));
        group(groups, study, key, "Intracranial cavity", Concepts.INTRACRANIAL_VOLUME, refs.get(INTRACRANIAL), t1Series, all,
                m -> m.analysis().equals("mci") && m.name().equals("icv_ml"));
        group(groups, study, key, "Brain volumes and MCI risk", null, null, t1Series, all,
                m -> m.analysis().equals("mci") && !m.name().startsWith("hippocampus_left")
                        && !m.name().startsWith("hippocampus_right") && !m.name().startsWith("ventricles")
                        && !m.name().equals("icv_ml"));
        group(groups, study, key, "Midline", null, null, t1Series, all, m -> m.analysis().equals("midline"));
        group(groups, study, key, "Brain age", null, null, t1Series, all, m -> m.analysis().equals("brain_age"));
        group(groups, study, key, "White matter hyperintensities", Concepts.WMH, null, null, all,
                m -> m.analysis().equals("wmh"));
        List<SourceSeries> evidence = new ArrayList<>(sources.values());
        List<ImageRegionGroup> regions = regions(analysis, sources, study, key);
        MeasurementReportWriter.Longitudinal longitudinal = change == null ? null
                : new MeasurementReportWriter.Longitudinal(change, prior, uid(study, key, "tracking-change"),
                        t1Series != null ? t1Series : lesionSeries);
        AttributeList sr = MeasurementReportWriter.write(studyHeader, groups, regions, longitudinal, f.notAssessed(),
                evidence, stored,
                settings.equipment(), new MeasurementReportWriter.ReportInfo(uid(study, key, "sr-series"),
                        uid(study, key, "sr-instance"), 9000, "NeuroGate measurement report",
                        uid("device", settings.equipment().deviceSerialNumber(), "observer"), settings.contentDateTime(),
                        settings.disclaimer()));
        return new Objects(segs, sr);
    }

    /**
     * The image-region groups: the lesion on its largest source slice, each hippocampus on the source
     * image through most of it, and the midline shift line, each with the measurement it illustrates.
     */
    static List<ImageRegionGroup> regions(StudyAnalyzer.StudyAnalysis analysis, Map<String, SourceSeries> sources,
                                          String study, String key) {
        Findings f = analysis.findings();
        List<ImageRegionGroup> out = new ArrayList<>();
        StudyAnalyzer.LabelMap lesion = analysis.labelMaps().get("lesion_mask");
        if (lesion != null && f.lesion() != null && sources.containsKey(lesion.sourceSeriesUid())) {
            ImageRegions.Region r = ImageRegions.outline(lesion.labels(), sources.get(lesion.sourceSeriesUid()), 1, 2);
            region(out, study, key, "Infarct, largest slice", Concepts.INFARCT, r, f.measurements(), "lesion",
                    "total_volume_ml");
        }
        StudyAnalyzer.LabelMap t1 = analysis.labelMaps().get("labels_t1");
        if (t1 != null && f.mci() != null && sources.containsKey(t1.sourceSeriesUid())) {
            SourceSeries source = sources.get(t1.sourceSeriesUid());
            region(out, study, key, "Left hippocampus, largest slice", Concepts.HIPPOCAMPUS_LEFT,
                    ImageRegions.outline(t1.labels(), source, StudyAnalyzer.LABEL_HIPPOCAMPUS_LEFT), f.measurements(), "mci",
                    "hippocampus_left_ml");
            region(out, study, key, "Right hippocampus, largest slice", Concepts.HIPPOCAMPUS_RIGHT,
                    ImageRegions.outline(t1.labels(), source, StudyAnalyzer.LABEL_HIPPOCAMPUS_RIGHT), f.measurements(),
                    "mci", "hippocampus_right_ml");
        }
        if (f.midline() != null && sources.containsKey(f.midline().sourceSeriesUid())) {
            region(out, study, key, "Midline shift", Concepts.MIDLINE_SHIFT,
                    ImageRegions.midlineShift(f.midline(), sources.get(f.midline().sourceSeriesUid())), f.measurements(),
                    "midline", "shift_mm");
        }
        return out;
    }

    private static void region(List<ImageRegionGroup> out, String study, String key, String tracking, CodedConcept finding,
                               ImageRegions.Region region, List<Measurement> all, String analysis, String name) {
        if (region == null) {
            return;
        }
        all.stream().filter(m -> m.analysis().equals(analysis) && m.name().equals(name)).findFirst().ifPresent(m ->
                out.add(new ImageRegionGroup(tracking, uid(study, key, "tracking-region-" + tracking), finding, region, m)));
    }

    private static void group(List<MeasurementGroup> groups, String study, String key, String tracking, CodedConcept finding,
                              MeasurementGroup.SegmentReference segment, String series, List<Measurement> all,
                              Predicate<Measurement> which) {
        List<Measurement> chosen = all.stream().filter(which).toList();
        if (chosen.isEmpty()) {
            return;
        }
        String source = series != null ? series : chosen.get(0).sourceSeriesUid();
        groups.add(new MeasurementGroup(tracking, uid(study, key, "tracking-" + tracking), finding, segment, source, chosen));
    }

    /** A UID under 2.25 from a name (UUID v3 of study, key and role): the same inputs give the same UID. */
    public static String uid(String study, String key, String role) {
        UUID u = UUID.nameUUIDFromBytes((study + "|" + key + "|" + role).getBytes(StandardCharsets.UTF_8));
        BigInteger value = new BigInteger(1, toBytes(u));
        return "2.25." + value;
    }

    private static byte[] toBytes(UUID u) {
        byte[] b = new byte[16];
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }
}
