package org.neurogate.reports;

import static org.neurogate.reports.SegmentationWriter.code;
import static org.neurogate.reports.SegmentationWriter.put;
import static org.neurogate.reports.SegmentationWriter.sequence;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.util.List;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;

/**
 * The SRs a radiologist's review produces from NeuroGate's unverified measurement report:
 * <ul>
 *   <li>on sign, the same content VERIFIED, with the Verifying Observer Sequence (PS3.3 C.17.2) and the
 *       radiologist's comment among the qualitative evaluations;</li>
 *   <li>on reject, a report that says the results were rejected and why, without the measurements.</li>
 * </ul>
 * Both are new instances in the report's series, COMPLETE, and point to the unverified SR through the
 * Predecessor Documents Sequence, so a PACS shows them as its successors.
 */
public final class ReviewedReportWriter {

    /**
     * Who reviewed, in DICOM terms.
     *
     * @param observerName PN (Family^Given)
     * @param dateTime     DT, YYYYMMDDHHMMSS
     */
    public record Reviewer(String observerName, String organization, String dateTime) {
        public Reviewer {
            if (observerName == null || observerName.isBlank() || organization == null || organization.isBlank()) {
                throw new IllegalArgumentException("a verifying observer needs a name and an organization");
            }
            if (dateTime == null || !dateTime.matches("\\d{14}")) {
                throw new IllegalArgumentException("verification date-time must be YYYYMMDDHHMMSS, was " + dateTime);
            }
        }
    }

    private ReviewedReportWriter() {
    }

    /** The verified copy of {@code unverified}; {@code comment} may be null. */
    public static AttributeList signed(AttributeList unverified, Reviewer reviewer, String sopInstanceUid, String comment)
            throws DicomException {
        AttributeList sr = successor(unverified, reviewer, sopInstanceUid);
        if (comment != null && !comment.isBlank()) {
            replaceContent(sr, false, List.of("Radiologist comment (" + reviewer.observerName() + "): " + comment.strip()));
        }
        verify(sr, reviewer);
        return sr;
    }

    /** The rejection notice: the measurements are withdrawn and the reason stated. */
    public static AttributeList rejected(AttributeList unverified, Reviewer reviewer, String sopInstanceUid, String reason)
            throws DicomException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a rejection needs its reason");
        }
        AttributeList sr = successor(unverified, reviewer, sopInstanceUid);
        replaceContent(sr, true, List.of("NeuroGate results rejected by " + reviewer.observerName() + ": " + reason.strip()
                + ". The measurements of the predecessor report are not to be used."));
        put(sr, TagFromName.SeriesDescription, "NeuroGate measurement report (rejected)");
        // The radiologist attests the rejection, so the notice itself is verified.
        verify(sr, reviewer);
        return sr;
    }

    private static AttributeList successor(AttributeList unverified, Reviewer reviewer, String sopInstanceUid)
            throws DicomException {
        if (!"SR".equals(Attribute.getSingleStringValueOrEmptyString(unverified, TagFromName.Modality))) {
            throw new IllegalArgumentException("the reviewed object is not an SR");
        }
        AttributeList sr = new AttributeList();
        sr.putAll(unverified);
        sr.removeGroupLengthAttributes();
        sr.removeMetaInformationHeaderAttributes();
        String date = reviewer.dateTime().substring(0, 8);
        String time = reviewer.dateTime().substring(8);
        put(sr, TagFromName.SOPInstanceUID, sopInstanceUid);
        put(sr, TagFromName.InstanceNumber,
                Integer.toString(Attribute.getSingleIntegerValueOrDefault(unverified, TagFromName.InstanceNumber, 1) + 1));
        put(sr, TagFromName.InstanceCreationDate, date);
        put(sr, TagFromName.InstanceCreationTime, time);
        put(sr, TagFromName.ContentDate, date);
        put(sr, TagFromName.ContentTime, time);
        put(sr, TagFromName.CompletionFlag, "COMPLETE");

        AttributeList sop = new AttributeList();
        put(sop, TagFromName.ReferencedSOPClassUID, Attribute.getSingleStringValueOrEmptyString(unverified, TagFromName.SOPClassUID));
        put(sop, TagFromName.ReferencedSOPInstanceUID,
                Attribute.getSingleStringValueOrEmptyString(unverified, TagFromName.SOPInstanceUID));
        AttributeList series = new AttributeList();
        put(series, TagFromName.SeriesInstanceUID,
                Attribute.getSingleStringValueOrEmptyString(unverified, TagFromName.SeriesInstanceUID));
        sequence(series, TagFromName.ReferencedSOPSequence).addItem(sop);
        AttributeList study = new AttributeList();
        put(study, TagFromName.StudyInstanceUID, Attribute.getSingleStringValueOrEmptyString(unverified, TagFromName.StudyInstanceUID));
        sequence(study, TagFromName.ReferencedSeriesSequence).addItem(series);
        sequence(sr, TagFromName.PredecessorDocumentsSequence).addItem(study);
        return sr;
    }

    private static void verify(AttributeList sr, Reviewer reviewer) throws DicomException {
        put(sr, TagFromName.VerificationFlag, "VERIFIED");
        AttributeList observer = new AttributeList();
        put(observer, TagFromName.VerifyingObserverName, reviewer.observerName());
        sequence(observer, TagFromName.VerifyingObserverIdentificationCodeSequence);
        put(observer, TagFromName.VerifyingOrganization, reviewer.organization());
        put(observer, TagFromName.VerificationDateTime, reviewer.dateTime());
        sequence(sr, TagFromName.VerifyingObserverSequence).addItem(observer);
    }

    /**
     * Rebuilds the root's content: the same items, less the Imaging Measurements container when
     * {@code withdrawMeasurements}, and the qualitative evaluations with {@code statements} first.
     */
    private static void replaceContent(AttributeList sr, boolean withdrawMeasurements, List<String> statements)
            throws DicomException {
        SequenceAttribute old = (SequenceAttribute) sr.get(TagFromName.ContentSequence);
        SequenceAttribute content = new SequenceAttribute(TagFromName.ContentSequence);
        boolean evaluations = false;
        for (int i = 0; i < old.getNumberOfItems(); i++) {
            AttributeList item = old.getItem(i).getAttributeList();
            if (withdrawMeasurements && isConcept(item, Concepts.IMAGING_MEASUREMENTS)) {
                continue;
            }
            if (isConcept(item, Concepts.QUALITATIVE_EVALUATIONS)) {
                content.addItem(evaluations(statements, (SequenceAttribute) item.get(TagFromName.ContentSequence)));
                evaluations = true;
            } else {
                content.addItem(new SequenceItem(item));
            }
        }
        if (!evaluations) {
            content.addItem(evaluations(statements, null));
        }
        sr.put(content);
    }

    private static AttributeList evaluations(List<String> statements, SequenceAttribute existing) throws DicomException {
        AttributeList container = new AttributeList();
        put(container, TagFromName.RelationshipType, "CONTAINS");
        put(container, TagFromName.ValueType, "CONTAINER");
        CodedSequenceItem.putSingleCodedSequenceAttribute(container, TagFromName.ConceptNameCodeSequence,
                code(Concepts.QUALITATIVE_EVALUATIONS));
        put(container, TagFromName.ContinuityOfContent, "SEPARATE");
        SequenceAttribute children = sequence(container, TagFromName.ContentSequence);
        for (String statement : statements) {
            AttributeList text = new AttributeList();
            put(text, TagFromName.RelationshipType, "CONTAINS");
            put(text, TagFromName.ValueType, "TEXT");
            CodedSequenceItem.putSingleCodedSequenceAttribute(text, TagFromName.ConceptNameCodeSequence, code(Concepts.COMMENT));
            put(text, TagFromName.TextValue, statement);
            children.addItem(text);
        }
        if (existing != null) {
            for (int i = 0; i < existing.getNumberOfItems(); i++) {
                children.addItem(existing.getItem(i));
            }
        }
        return container;
    }

    private static boolean isConcept(AttributeList item, CodedConcept concept) {
        SequenceAttribute name = (SequenceAttribute) item.get(TagFromName.ConceptNameCodeSequence);
        if (name == null || name.getNumberOfItems() == 0) {
            return false;
        }
        AttributeList code = name.getItem(0).getAttributeList();
        return concept.code().equals(Attribute.getSingleStringValueOrEmptyString(code, TagFromName.CodeValue))
                && concept.scheme().equals(Attribute.getSingleStringValueOrEmptyString(code, TagFromName.CodingSchemeDesignator));
    }
}
