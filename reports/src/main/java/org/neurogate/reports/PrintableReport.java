package org.neurogate.reports;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.reports.content.ChangeSummary;
import org.neurogate.reports.content.ReportContent;
import org.neurogate.reports.pdf.PdfReport;
import org.neurogate.reports.render.KeyImages;

/**
 * The objects every PACS can display: the key images as a Secondary Capture series and the report as
 * an Encapsulated PDF that shows them. UIDs derive from the study and the caller's key, as the SR's
 * do, so a retried job writes the same objects.
 */
public final class PrintableReport {

    /** How the deployment prints: the key images' label and the PDF's page size. */
    public record Settings(String keyImageLabel, PdfReport.PageSize pageSize) {
    }

    static final int KEY_IMAGE_SERIES_NUMBER = 9005;
    static final int PDF_SERIES_NUMBER = 9006;

    private PrintableReport() {
    }

    /** The key-image series: one Secondary Capture per key image. */
    public static List<AttributeList> keyImages(List<KeyImages.KeyImage> keys, AttributeList studyHeader,
                                                StudyReport.Settings report, Settings print, String key)
            throws DicomException {
        String study = Attribute.getSingleStringValueOrEmptyString(studyHeader, TagFromName.StudyInstanceUID);
        List<String> sops = keys.stream().map(k -> StudyReport.uid(study, key, "key-image-" + k.name())).toList();
        return KeyImageWriter.write(keys, sops, studyHeader, report.equipment(), new KeyImageWriter.SeriesInfo(
                StudyReport.uid(study, key, "key-image-series"), KEY_IMAGE_SERIES_NUMBER, "NeuroGate key images",
                print.keyImageLabel(), report.contentDateTime()));
    }

    /** The pictures of stored key images, as the PDF shows them: the burned-in RGB pixels and the comment. */
    public static List<PdfReport.Figure> figures(List<AttributeList> keyImages) throws DicomException {
        List<PdfReport.Figure> out = new ArrayList<>();
        for (AttributeList k : keyImages) {
            int rows = Attribute.getSingleIntegerValueOrDefault(k, TagFromName.Rows, 0);
            int columns = Attribute.getSingleIntegerValueOrDefault(k, TagFromName.Columns, 0);
            byte[] rgb = k.get(TagFromName.PixelData).getByteValues(false);
            BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < rows * columns; i++) {
                image.setRGB(i % columns, i / columns,
                        (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF));
            }
            out.add(new PdfReport.Figure(Attribute.getSingleStringValueOrEmptyString(k, TagFromName.ImageComments), image));
        }
        return out;
    }

    /**
     * The PDF of a report and its Encapsulated PDF instance.
     *
     * @param role        "pdf" for the preliminary report, another name for a reviewed one (its own UIDs)
     * @param cited       the SR and key images the PDF shows
     * @param reviewState what the PDF says of its review
     */
    public static AttributeList pdf(AttributeList studyHeader, ReportContent content, ChangeSummary change,
                                    List<PdfReport.Figure> figures, StudyReport.Settings report, Settings print, String key,
                                    String role, String reviewState, List<MeasurementReportWriter.StoredObject> cited)
            throws DicomException {
        String study = Attribute.getSingleStringValueOrEmptyString(studyHeader, TagFromName.StudyInstanceUID);
        String when = report.contentDateTime();
        byte[] pdf = new PdfReport(PdfReport.Header.of(studyHeader), content, change, figures, reviewState,
                report.disclaimer(), PdfReport.readableDateTime(when), print.pageSize()).write();
        return EncapsulatedPdfWriter.write(pdf, studyHeader, report.equipment(), new EncapsulatedPdfWriter.DocumentInfo(
                StudyReport.uid(study, key, role + "-series"), StudyReport.uid(study, key, role + "-instance"),
                PDF_SERIES_NUMBER, "NeuroGate report (PDF)", "NeuroGate brain MRI report", when), cited);
    }

    /** What a stored object is, for citing it. */
    public static MeasurementReportWriter.StoredObject stored(AttributeList object) {
        return new MeasurementReportWriter.StoredObject(
                Attribute.getSingleStringValueOrEmptyString(object, TagFromName.SeriesInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(object, TagFromName.SOPClassUID),
                Attribute.getSingleStringValueOrEmptyString(object, TagFromName.SOPInstanceUID));
    }
}
