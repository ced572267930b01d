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

/**
 * Turns one study's analysis into the objects sent back to the PACS: a SEG of the stroke lesion
 * (whole infarct and ischaemic core), a SEG of the T1 structures (hippocampi, ventricles, intracranial
 * cavity), and the TID 1500 SR whose measurement groups reference those segments.
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
     * @param sources the source series by Series Instance UID (at least those the label maps lie on)
     * @param key     what makes this report unique within the study (the analysis job's id)
     */
    public static Objects build(StudyAnalyzer.StudyAnalysis analysis, Map<String, SourceSeries> sources,
                                AttributeList studyHeader, Settings settings, String key) throws DicomException {
        Findings f = analysis.findings();
        String study = f.studyInstanceUid();
        List<AttributeList> segs = new ArrayList<>();
        List<MeasurementReportWriter.StoredObject> stored = new ArrayList<>();
        Map<Segment, MeasurementGroup.SegmentReference> refs = new LinkedHashMap<>();
        Map<String, List<Segment>> segmentsByMap = new LinkedHashMap<>();
        segmentsByMap.put("lesion_mask", List.of(INFARCT, CORE));
        segmentsByMap.put("labels_t1", List.of(INTRACRANIAL, VENTRICLES, LEFT_HIPPOCAMPUS, RIGHT_HIPPOCAMPUS));
        for (Map.Entry<String, List<Segment>> map : segmentsByMap.entrySet()) {
            StudyAnalyzer.LabelMap labels = analysis.labelMaps().get(map.getKey());
            if (labels == null) {
                continue;
            }
            SourceSeries source = sources.get(labels.sourceSeriesUid());
            if (source == null) {
                throw new IllegalArgumentException("no source series " + labels.sourceSeriesUid() + " for " + map.getKey());
            }
            boolean lesion = map.getKey().equals("lesion_mask");
            String series = uid(study, key, map.getKey() + "-series");
            String sop = uid(study, key, map.getKey() + "-instance");
            SegmentationWriter.Written seg = SegmentationWriter.write(labels.labels(), map.getValue(), source, studyHeader,
                    settings.equipment(), new SegmentationWriter.SeriesInfo(series, sop, lesion ? 9001 : 9002,
                            lesion ? "NeuroGate stroke lesion" : "NeuroGate brain structures", lesion ? "LESION" : "STRUCTURES",
                            "NeuroGate " + (lesion ? "diffusion-lesion" : "brain structures"),
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
        AttributeList sr = MeasurementReportWriter.write(studyHeader, groups, f.notAssessed(), evidence, stored,
                settings.equipment(), new MeasurementReportWriter.ReportInfo(uid(study, key, "sr-series"),
                        uid(study, key, "sr-instance"), 9000, "NeuroGate measurement report",
                        uid("device", settings.equipment().deviceSerialNumber(), "observer"), settings.contentDateTime(),
                        settings.disclaimer()));
        return new Objects(segs, sr);
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
    static String uid(String study, String key, String role) {
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
