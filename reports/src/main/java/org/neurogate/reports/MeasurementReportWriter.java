package org.neurogate.reports;

import static org.neurogate.reports.SegmentationWriter.code;
import static org.neurogate.reports.SegmentationWriter.put;
import static org.neurogate.reports.SegmentationWriter.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.longitudinal.ChangeSincePrior;

/**
 * A Comprehensive 3D SR holding a Measurement Report (TID 1500): device observer context, the
 * reported procedure, an image library, the measurement groups (volumetric ROIs on SEG segments,
 * TID 1411, and measurements without a region, TID 1501), each measurement with its algorithm
 * (TID 4019), and the reasons an analysis was not assessed plus the disclaimer as qualitative
 * evaluations. The header references every source series as evidence and names NeuroGate in the
 * Contributing Equipment Sequence, as the IHE AI Results profile asks.
 */
public final class MeasurementReportWriter {

    /** Where the SR goes, and what it says about itself. */
    public record ReportInfo(String seriesInstanceUid, String sopInstanceUid, int seriesNumber, String seriesDescription,
                             String deviceObserverUid, String contentDateTime, String disclaimer) {
        public ReportInfo {
            for (String uid : new String[] {seriesInstanceUid, sopInstanceUid, deviceObserverUid}) {
                if (uid == null || !uid.matches("[0-9.]{1,64}")) {
                    throw new IllegalArgumentException("not a DICOM UID: " + uid);
                }
            }
            if (contentDateTime == null || !contentDateTime.matches("\\d{14}(\\.\\d{1,6})?")) {
                throw new IllegalArgumentException("content date-time must be YYYYMMDDHHMMSS, was " + contentDateTime);
            }
            if (disclaimer == null || disclaimer.isBlank()) {
                throw new IllegalArgumentException("a report carries its disclaimer");
            }
        }
    }

    /** (0018,A002) Contribution DateTime, DT: not among PixelMed's 2022 tag names. */
    static final com.pixelmed.dicom.AttributeTag CONTRIBUTION_DATE_TIME = new com.pixelmed.dicom.AttributeTag(0x0018, 0xA002);

    /** (0040,A385) Pertinent Other Evidence Sequence, SQ: not among PixelMed's 2022 tag names. */
    static final com.pixelmed.dicom.AttributeTag PERTINENT_OTHER_EVIDENCE_SEQUENCE =
            new com.pixelmed.dicom.AttributeTag(0x0040, 0xA385);

    private static final Map<String, CodedSequenceItem> UCUM = new LinkedHashMap<>();

    static {
        try {
            UCUM.put("ml", code(Concepts.MILLILITER));
            UCUM.put("mm", code(Concepts.MILLIMETER));
            UCUM.put("deg", code(Concepts.DEGREE));
            UCUM.put("a", code(Concepts.YEAR));
            UCUM.put("%", code(Concepts.PERCENT));
            UCUM.put("%/a", code(Concepts.PERCENT_PER_YEAR));
            UCUM.put("1", code(Concepts.NO_UNITS));
        } catch (DicomException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MeasurementReportWriter() {
    }

    /**
     * @param evidence   every object the report draws on: the source series and the SEGs
     * @param notAssessed one qualitative evaluation each
     */
    public static AttributeList write(AttributeList studyHeader, List<MeasurementGroup> groups, List<String> notAssessed,
                                      List<SourceSeries> evidence, List<StoredObject> segmentations,
                                      Equipment equipment, ReportInfo info) throws DicomException {
        return write(studyHeader, groups, List.of(), null, notAssessed, evidence, segmentations, equipment, info);
    }

    /**
     * The prior study a report compares with, and its objects (its SR) the report cites as other
     * evidence.
     */
    public record PriorStudy(String studyInstanceUid, List<StoredObject> objects) {
        public PriorStudy {
            objects = List.copyOf(objects);
        }
    }

    /**
     * The change since the prior study as the report carries it: the comparison, the prior's objects
     * (null when none are known), the tracking UID.
     */
    public record Longitudinal(ChangeSincePrior change, PriorStudy prior, String trackingUid, String sourceSeriesUid) {
    }

    /**
     * @param regions      planar ROI groups (TID 1410) placing key findings on source images
     * @param longitudinal the change since the prior study, or null when there was no comparison to report
     */
    public static AttributeList write(AttributeList studyHeader, List<MeasurementGroup> groups,
                                      List<ImageRegionGroup> regions, Longitudinal longitudinal, List<String> notAssessed,
                                      List<SourceSeries> evidence, List<StoredObject> segmentations,
                                      Equipment equipment, ReportInfo info) throws DicomException {
        if (groups.isEmpty() && notAssessed.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one measurement group or not-assessed reason");
        }
        ContentItemFactory f = new ContentItemFactory();
        ContentItem root = f.makeContainerContentItem(null, null, code(Concepts.IMAGING_MEASUREMENT_REPORT), true,
                "DCMR", "1500");
        f.makeCodeContentItem(root, "HAS CONCEPT MOD", code(Concepts.LANGUAGE_OF_CONTENT_ITEM_AND_DESCENDANTS),
                code(Concepts.ENGLISH_UNITED_STATES));
        f.makeCodeContentItem(root, "HAS OBS CONTEXT", code(Concepts.OBSERVER_TYPE), code(Concepts.DEVICE));
        f.makeUIDContentItem(root, "HAS OBS CONTEXT", code(Concepts.DEVICE_OBSERVER_UID), info.deviceObserverUid());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", code(Concepts.DEVICE_OBSERVER_NAME), equipment.modelName());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", code(Concepts.DEVICE_OBSERVER_MANUFACTURER), equipment.manufacturer());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", code(Concepts.DEVICE_OBSERVER_MODEL_NAME), equipment.modelName());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", code(Concepts.DEVICE_OBSERVER_SERIAL_NUMBER),
                equipment.deviceSerialNumber());
        f.makeCodeContentItem(root, "HAS CONCEPT MOD", code(Concepts.PROCEDURE_REPORTED),
                code(Concepts.MAGNETIC_RESONANCE_IMAGING));
        ContentItem library = f.makeContainerContentItem(root, "CONTAINS", code(Concepts.IMAGE_LIBRARY), true);
        ContentItem libraryGroup = f.makeContainerContentItem(library, "CONTAINS", code(Concepts.IMAGE_LIBRARY_GROUP), true);
        for (SourceSeries series : evidence) {
            SourceSeries.SourceImage first = series.images().get(0);
            f.makeImageContentItem(libraryGroup, "CONTAINS", null, first.sopClassUid(), first.sopInstanceUid(), 0, 0,
                    null, null, null, null);
        }
        ContentItem measurements = f.makeContainerContentItem(root, "CONTAINS", code(Concepts.IMAGING_MEASUREMENTS), true);
        for (MeasurementGroup g : groups) {
            ContentItem group = f.makeContainerContentItem(measurements, "CONTAINS", code(Concepts.MEASUREMENT_GROUP), true);
            f.makeTextContentItem(group, "HAS OBS CONTEXT", code(Concepts.TRACKING_IDENTIFIER), g.trackingIdentifier());
            f.makeUIDContentItem(group, "HAS OBS CONTEXT", code(Concepts.TRACKING_UNIQUE_IDENTIFIER), g.trackingUid());
            if (g.finding() != null) {
                f.makeCodeContentItem(group, "CONTAINS", code(Concepts.FINDING), code(g.finding()));
            }
            if (g.segment() != null) {
                f.makeImageContentItem(group, "CONTAINS", code(Concepts.REFERENCED_SEGMENT), g.segment().sopClassUid(),
                        g.segment().sopInstanceUid(), 0, g.segment().segmentNumber(), null, null, null, null);
                f.makeUIDContentItem(group, "CONTAINS", code(Concepts.SOURCE_SERIES_FOR_SEGMENTATION), g.sourceSeriesUid());
            }
            for (Measurement m : g.measurements()) {
                numeric(f, group, m, null);
            }
        }
        for (ImageRegionGroup r : regions) {
            ContentItem group = f.makeContainerContentItem(measurements, "CONTAINS", code(Concepts.MEASUREMENT_GROUP), true);
            f.makeTextContentItem(group, "HAS OBS CONTEXT", code(Concepts.TRACKING_IDENTIFIER), r.trackingIdentifier());
            f.makeUIDContentItem(group, "HAS OBS CONTEXT", code(Concepts.TRACKING_UNIQUE_IDENTIFIER), r.trackingUid());
            f.makeCodeContentItem(group, "CONTAINS", code(Concepts.FINDING), code(r.finding()));
            ContentItem scoord = f.makeSpatialCoordinatesContentItem(group, "CONTAINS", code(Concepts.IMAGE_REGION),
                    r.region().graphicType(), r.region().points());
            SourceSeries.SourceImage image = r.region().image();
            f.makeImageContentItem(scoord, "SELECTED FROM", null, image.sopClassUid(), image.sopInstanceUid(),
                    image.multiFrame() ? image.frameNumber() : 0, 0, null, null, null, null);
            numeric(f, group, r.measurement(), null);
        }
        List<String> changeComments = new ArrayList<>();
        if (longitudinal != null) {
            ChangeSincePrior change = longitudinal.change();
            if (change.compared()) {
                ContentItem group = f.makeContainerContentItem(measurements, "CONTAINS", code(Concepts.MEASUREMENT_GROUP),
                        true);
                f.makeTextContentItem(group, "HAS OBS CONTEXT", code(Concepts.TRACKING_IDENTIFIER), "Change since prior study");
                f.makeUIDContentItem(group, "HAS OBS CONTEXT", code(Concepts.TRACKING_UNIQUE_IDENTIFIER),
                        longitudinal.trackingUid());
                f.makeUIDContentItem(group, "HAS OBS CONTEXT", code(Concepts.STUDY_INSTANCE_UID),
                        change.priorStudyInstanceUid());
                for (Measurement m : change.measurements(longitudinal.sourceSeriesUid())) {
                    CodedConcept derivation = m.name().endsWith("_annualised_pct") ? Concepts.ANNUALIZED_CHANGE
                            : m.name().equals("interval_years") || m.name().equals("new_lesions") ? null
                            : Concepts.CHANGE_SINCE_PRIOR;
                    numeric(f, group, m, derivation);
                }
                for (ChangeSincePrior.VolumeChange v : change.flagged()) {
                    changeComments.add(v.flag() + " (" + v.normalAgeing() + ")");
                }
            } else {
                changeComments.add("Change since prior study not reported: " + change.reason());
            }
        }
        ContentItem evaluations = f.makeContainerContentItem(root, "CONTAINS",
                code(Concepts.QUALITATIVE_EVALUATIONS), true);
        for (String reason : notAssessed) {
            f.makeTextContentItem(evaluations, "CONTAINS", code(Concepts.COMMENT), reason);
        }
        for (String comment : changeComments) {
            f.makeTextContentItem(evaluations, "CONTAINS", code(Concepts.COMMENT), comment);
        }
        f.makeTextContentItem(evaluations, "CONTAINS", code(Concepts.COMMENT), info.disclaimer());

        AttributeList list = new StructuredReport(root).getAttributeList();
        SegmentationWriter.putInstanceHeader(list, studyHeader, SOPClass.Comprehensive3DSRStorage, info.sopInstanceUid(),
                "SR", info.seriesInstanceUid(), info.seriesNumber(), info.seriesDescription(), equipment);
        sequence(list, TagFromName.ReferencedPerformedProcedureStepSequence);
        SegmentationWriter.putContentDateTime(list, info.contentDateTime());
        put(list, TagFromName.CompletionFlag, "COMPLETE");
        put(list, TagFromName.VerificationFlag, "UNVERIFIED");
        sequence(list, TagFromName.PerformedProcedureCodeSequence);
        putEvidence(list, studyHeader, evidence, segmentations);
        if (longitudinal != null && longitudinal.change().compared() && longitudinal.prior() != null
                && !longitudinal.prior().objects().isEmpty()) {
            putPriorEvidence(list, longitudinal.prior());
        }
        putContributingEquipment(list, equipment, info);
        return list;
    }

    /** A NUM with its algorithm (TID 4019) and, for derived values, how it was derived. */
    private static void numeric(ContentItemFactory f, ContentItem group, Measurement m, CodedConcept derivation)
            throws DicomException {
        CodedSequenceItem unit = UCUM.get(m.unit());
        if (unit == null) {
            throw new IllegalArgumentException("no UCUM code for unit '" + m.unit() + "' of " + m.name());
        }
        ContentItem num = f.makeNumericContentItem(group, "CONTAINS", code(m.concept()), SegmentationWriter.decimal(m.value()),
                unit);
        if (derivation != null) {
            f.makeCodeContentItem(num, "HAS CONCEPT MOD", code(Concepts.DERIVATION), code(derivation));
        }
        f.makeTextContentItem(num, "HAS CONCEPT MOD", code(Concepts.ALGORITHM_NAME),
                m.method().modelId() + " (" + m.method().pack() + ")");
        f.makeTextContentItem(num, "HAS CONCEPT MOD", code(Concepts.ALGORITHM_VERSION), m.method().version());
    }

    /** A stored object (a SEG) the report cites as evidence. */
    public record StoredObject(String seriesInstanceUid, String sopClassUid, String sopInstanceUid) {
    }

    private static void putEvidence(AttributeList list, AttributeList studyHeader, List<SourceSeries> evidence,
                                    List<StoredObject> stored) throws DicomException {
        AttributeList study = new AttributeList();
        put(study, TagFromName.StudyInstanceUID,
                com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(studyHeader, TagFromName.StudyInstanceUID));
        SequenceAttribute seriesSequence = sequence(study, TagFromName.ReferencedSeriesSequence);
        for (SourceSeries s : evidence) {
            List<String[]> refs = new ArrayList<>();
            for (SourceSeries.SourceImage image : s.images()) {
                if (refs.stream().noneMatch(r -> r[1].equals(image.sopInstanceUid()))) {
                    refs.add(new String[] {image.sopClassUid(), image.sopInstanceUid()});
                }
            }
            seriesSequence.addItem(seriesItem(s.seriesInstanceUid(), refs));
        }
        for (StoredObject o : stored) {
            List<String[]> refs = new ArrayList<>();
            refs.add(new String[] {o.sopClassUid(), o.sopInstanceUid()});
            seriesSequence.addItem(seriesItem(o.seriesInstanceUid(), refs));
        }
        sequence(list, TagFromName.CurrentRequestedProcedureEvidenceSequence).addItem(study);
    }

    /** The prior study's objects as Pertinent Other Evidence (PS3.3 C.17.2): what the change was measured against. */
    private static void putPriorEvidence(AttributeList list, PriorStudy prior) throws DicomException {
        AttributeList study = new AttributeList();
        put(study, TagFromName.StudyInstanceUID, prior.studyInstanceUid());
        SequenceAttribute seriesSequence = sequence(study, TagFromName.ReferencedSeriesSequence);
        for (StoredObject o : prior.objects()) {
            List<String[]> refs = new ArrayList<>();
            refs.add(new String[] {o.sopClassUid(), o.sopInstanceUid()});
            seriesSequence.addItem(seriesItem(o.seriesInstanceUid(), refs));
        }
        sequence(list, PERTINENT_OTHER_EVIDENCE_SEQUENCE).addItem(study);
    }

    private static AttributeList seriesItem(String seriesUid, List<String[]> refs) throws DicomException {
        AttributeList item = new AttributeList();
        put(item, TagFromName.SeriesInstanceUID, seriesUid);
        SequenceAttribute sops = sequence(item, TagFromName.ReferencedSOPSequence);
        for (String[] r : refs) {
            AttributeList ref = new AttributeList();
            put(ref, TagFromName.ReferencedSOPClassUID, r[0]);
            put(ref, TagFromName.ReferencedSOPInstanceUID, r[1]);
            sops.addItem(ref);
        }
        return item;
    }

    private static void putContributingEquipment(AttributeList list, Equipment equipment, ReportInfo info)
            throws DicomException {
        AttributeList item = new AttributeList();
        SegmentationWriter.putEquipment(item, equipment);
        CodedSequenceItem.putSingleCodedSequenceAttribute(item, TagFromName.PurposeOfReferenceCodeSequence,
                code(Concepts.PROCESSING_EQUIPMENT));
        put(item, CONTRIBUTION_DATE_TIME, info.contentDateTime());
        put(item, TagFromName.ContributionDescription, "Automated brain MRI analysis");
        sequence(list, TagFromName.ContributingEquipmentSequence).addItem(item);
    }
}
