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
import org.neurogate.inference.analysis.Measurement;

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

    private static final Map<String, CodedSequenceItem> UCUM = new LinkedHashMap<>();

    static {
        try {
            UCUM.put("ml", new CodedSequenceItem("mL", "UCUM", "milliliter"));
            UCUM.put("mm", new CodedSequenceItem("mm", "UCUM", "millimeter"));
            UCUM.put("deg", new CodedSequenceItem("deg", "UCUM", "degree"));
            UCUM.put("a", new CodedSequenceItem("a", "UCUM", "year"));
            UCUM.put("%", new CodedSequenceItem("%", "UCUM", "percent"));
            UCUM.put("1", new CodedSequenceItem("1", "UCUM", "no units"));
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
        if (groups.isEmpty() && notAssessed.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one measurement group or not-assessed reason");
        }
        ContentItemFactory f = new ContentItemFactory();
        ContentItem root = f.makeContainerContentItem(null, null, dcm("126000", "Imaging Measurement Report"), true,
                "DCMR", "1500");
        f.makeCodeContentItem(root, "HAS CONCEPT MOD", dcm("121049", "Language of Content Item and Descendants"),
                new CodedSequenceItem("en-US", "RFC5646", "English (United States)"));
        f.makeCodeContentItem(root, "HAS OBS CONTEXT", dcm("121005", "Observer Type"), dcm("121007", "Device"));
        f.makeUIDContentItem(root, "HAS OBS CONTEXT", dcm("121012", "Device Observer UID"), info.deviceObserverUid());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", dcm("121013", "Device Observer Name"), equipment.modelName());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", dcm("121014", "Device Observer Manufacturer"), equipment.manufacturer());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", dcm("121015", "Device Observer Model Name"), equipment.modelName());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", dcm("121016", "Device Observer Serial Number"),
                equipment.deviceSerialNumber());
        f.makeCodeContentItem(root, "HAS CONCEPT MOD", dcm("121058", "Procedure reported"),
                new CodedSequenceItem("113091000", "SCT", "Magnetic resonance imaging"));
        ContentItem library = f.makeContainerContentItem(root, "CONTAINS", dcm("111028", "Image Library"), true);
        ContentItem libraryGroup = f.makeContainerContentItem(library, "CONTAINS", dcm("126200", "Image Library Group"), true);
        for (SourceSeries series : evidence) {
            SourceSeries.SourceImage first = series.images().get(0);
            f.makeImageContentItem(libraryGroup, "CONTAINS", null, first.sopClassUid(), first.sopInstanceUid(), 0, 0,
                    null, null, null, null);
        }
        ContentItem measurements = f.makeContainerContentItem(root, "CONTAINS", dcm("126010", "Imaging Measurements"), true);
        for (MeasurementGroup g : groups) {
            ContentItem group = f.makeContainerContentItem(measurements, "CONTAINS", dcm("125007", "Measurement Group"), true);
            f.makeTextContentItem(group, "HAS OBS CONTEXT", dcm("112039", "Tracking Identifier"), g.trackingIdentifier());
            f.makeUIDContentItem(group, "HAS OBS CONTEXT", dcm("112040", "Tracking Unique Identifier"), g.trackingUid());
            if (g.finding() != null) {
                f.makeCodeContentItem(group, "CONTAINS", dcm("121071", "Finding"), code(g.finding()));
            }
            if (g.segment() != null) {
                f.makeImageContentItem(group, "CONTAINS", dcm("121191", "Referenced Segment"), g.segment().sopClassUid(),
                        g.segment().sopInstanceUid(), 0, g.segment().segmentNumber(), null, null, null, null);
                f.makeUIDContentItem(group, "CONTAINS", dcm("121232", "Source series for segmentation"), g.sourceSeriesUid());
            }
            for (Measurement m : g.measurements()) {
                CodedSequenceItem unit = UCUM.get(m.unit());
                if (unit == null) {
                    throw new IllegalArgumentException("no UCUM code for unit '" + m.unit() + "' of " + m.name());
                }
                ContentItem num = f.makeNumericContentItem(group, "CONTAINS", code(m.concept()), SegmentationWriter.decimal(m.value()),
                        unit);
                f.makeTextContentItem(num, "HAS CONCEPT MOD", dcm("111001", "Algorithm Name"),
                        m.method().modelId() + " (" + m.method().pack() + ")");
                f.makeTextContentItem(num, "HAS CONCEPT MOD", dcm("111003", "Algorithm Version"), m.method().version());
            }
        }
        ContentItem evaluations = f.makeContainerContentItem(root, "CONTAINS",
                new CodedSequenceItem("C0034375", "UMLS", "Qualitative Evaluations"), true);
        for (String reason : notAssessed) {
            f.makeTextContentItem(evaluations, "CONTAINS", dcm("121106", "Comment"), reason);
        }
        f.makeTextContentItem(evaluations, "CONTAINS", dcm("121106", "Comment"), info.disclaimer());

        AttributeList list = new StructuredReport(root).getAttributeList();
        list.putAll(StudyHeader.from(studyHeader));
        put(list, TagFromName.SOPClassUID, SOPClass.Comprehensive3DSRStorage);
        put(list, TagFromName.SOPInstanceUID, info.sopInstanceUid());
        put(list, TagFromName.Modality, "SR");
        put(list, TagFromName.SeriesInstanceUID, info.seriesInstanceUid());
        put(list, TagFromName.SeriesNumber, Integer.toString(info.seriesNumber()));
        put(list, TagFromName.SeriesDescription, info.seriesDescription());
        put(list, TagFromName.InstanceNumber, "1");
        sequence(list, TagFromName.ReferencedPerformedProcedureStepSequence);
        SegmentationWriter.putEquipment(list, equipment);
        SegmentationWriter.putCodingSchemes(list);
        String date = info.contentDateTime().substring(0, 8);
        String time = info.contentDateTime().substring(8);
        put(list, TagFromName.ContentDate, date);
        put(list, TagFromName.ContentTime, time);
        put(list, TagFromName.SeriesDate, date);
        put(list, TagFromName.SeriesTime, time);
        put(list, TagFromName.CompletionFlag, "COMPLETE");
        put(list, TagFromName.VerificationFlag, "UNVERIFIED");
        sequence(list, TagFromName.PerformedProcedureCodeSequence);
        putEvidence(list, studyHeader, evidence, segmentations);
        putContributingEquipment(list, equipment, info);
        return list;
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
                dcm("109102", "Processing Equipment"));
        put(item, CONTRIBUTION_DATE_TIME, info.contentDateTime());
        put(item, TagFromName.ContributionDescription, "Automated brain MRI analysis");
        sequence(list, TagFromName.ContributingEquipmentSequence).addItem(item);
    }

    private static CodedSequenceItem dcm(String code, String meaning) throws DicomException {
        return new CodedSequenceItem(code, "DCM", meaning);
    }
}
