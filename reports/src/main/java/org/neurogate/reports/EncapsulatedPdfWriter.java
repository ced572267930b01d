package org.neurogate.reports;

import static org.neurogate.reports.SegmentationWriter.put;
import static org.neurogate.reports.SegmentationWriter.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.List;
import org.neurogate.inference.analysis.CodedConcept;

/**
 * The PDF report as an Encapsulated PDF instance (PS3.3 A.45.1), in the study it reports on, citing the
 * SR and key images it was made from (Source Instance Sequence), so a PACS files and links it with them.
 */
public final class EncapsulatedPdfWriter {

    /** (0042,0013) Source Instance Sequence, SQ: not among PixelMed's 2022 tag names. */
    static final AttributeTag SOURCE_INSTANCE_SEQUENCE = new AttributeTag(0x0042, 0x0013);
    /** LOINC 18748-4, Diagnostic imaging study: the document's kind. */
    static final CodedConcept DIAGNOSTIC_IMAGING_REPORT = new CodedConcept("LN", "18748-4", "Diagnostic imaging study");

    /** Where the PDF goes and what it is called. */
    public record DocumentInfo(String seriesInstanceUid, String sopInstanceUid, int seriesNumber, String seriesDescription,
                               String documentTitle, String contentDateTime) {
    }

    private EncapsulatedPdfWriter() {
    }

    /**
     * @param sources the objects the PDF shows (the SR, the key images)
     */
    public static AttributeList write(byte[] pdf, AttributeList studyHeader, Equipment equipment, DocumentInfo info,
                                      List<MeasurementReportWriter.StoredObject> sources) throws DicomException {
        if (pdf.length < 5 || pdf[0] != '%' || pdf[1] != 'P' || pdf[2] != 'D' || pdf[3] != 'F') {
            throw new IllegalArgumentException("not a PDF document");
        }
        AttributeList list = new AttributeList();
        SegmentationWriter.putInstanceHeader(list, studyHeader, SOPClass.EncapsulatedPDFStorage, info.sopInstanceUid(),
                "DOC", info.seriesInstanceUid(), info.seriesNumber(), info.seriesDescription(), equipment);
        SegmentationWriter.putContentDateTime(list, info.contentDateTime());
        list.putNewAttribute(TagFromName.AcquisitionDateTime);
        put(list, TagFromName.ConversionType, "SD");
        // The pages carry the patient's name and ID: that is identifying text in the document.
        put(list, TagFromName.BurnedInAnnotation, "YES");
        put(list, TagFromName.DocumentTitle, info.documentTitle());
        CodedSequenceItem.putSingleCodedSequenceAttribute(list, TagFromName.ConceptNameCodeSequence,
                SegmentationWriter.code(DIAGNOSTIC_IMAGING_REPORT));
        put(list, TagFromName.MIMETypeOfEncapsulatedDocument, "application/pdf");
        SequenceAttribute cited = sequence(list, SOURCE_INSTANCE_SEQUENCE);
        for (MeasurementReportWriter.StoredObject o : sources) {
            AttributeList ref = new AttributeList();
            put(ref, TagFromName.ReferencedSOPClassUID, o.sopClassUid());
            put(ref, TagFromName.ReferencedSOPInstanceUID, o.sopInstanceUid());
            cited.addItem(ref);
        }
        // OB values are even-length; the length attribute says where the PDF itself ends.
        put(list, TagFromName.EncapsulatedDocumentLength, Integer.toString(pdf.length));
        byte[] padded = pdf.length % 2 == 0 ? pdf : java.util.Arrays.copyOf(pdf, pdf.length + 1);
        OtherByteAttribute document = new OtherByteAttribute(TagFromName.EncapsulatedDocument);
        document.setValues(padded);
        list.put(document);
        return list;
    }
}
