package org.neurogate.reports.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.neurogate.reports.content.ReportContent;

/** The PDF on its own: any patient's name prints, the page size is the configured one, long tables flow. */
class PdfReportTest {

    private static PdfReport report(String patient, PdfReport.PageSize size, int rows) {
        List<ReportContent.MeasurementRow> table = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            table.add(new ReportContent.MeasurementRow("mci", "row" + i, "Measurement number " + i, i, Integer.toString(i),
                    "ml", "", "", "", "", "", "", ""));
        }
        ReportContent content = new ReportContent(table, List.of(), List.of("wmh: no FLAIR series"), List.of("a QC note"),
                List.of("reference-tissue 0.1.2 (reference-pack)"), 71.5, "F");
        return new PdfReport(new PdfReport.Header(patient, "ID-1", "1950-06-01", "F", "2024-03-09", "ACC1", "MR BRAIN",
                "2.25.1"), content, null, List.of(), "Preliminary: not reviewed by a radiologist", "Not for diagnosis.",
                "2026-12-01 10:00", size);
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void greekAndCyrillicNamesPrintAsTheyAre() throws Exception {
        String text = text(report("Παπαδοπούλου Ελένη", PdfReport.PageSize.A4, 3).write());
        assertTrue(text.contains("Παπαδοπούλου Ελένη"), text);
        assertTrue(text(report("Иванова Мария", PdfReport.PageSize.A4, 3).write()).contains("Иванова Мария"));
    }

    @Test
    void theConfiguredPageSizeAndATableOverManyPages() throws Exception {
        byte[] letter = report("Doe John", PdfReport.PageSize.LETTER, 200).write();
        try (PDDocument doc = Loader.loadPDF(letter)) {
            assertEquals(PDRectangle.LETTER.getWidth(), doc.getPage(0).getMediaBox().getWidth(), 0.1);
            assertTrue(doc.getNumberOfPages() >= 3, "200 rows flow over pages: " + doc.getNumberOfPages());
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("Measurement number 0") && text.contains("Measurement number 199"));
            assertTrue(text.contains("wmh: no FLAIR series") && text.contains("Not for diagnosis."));
        }
        try (PDDocument doc = Loader.loadPDF(report("Doe John", PdfReport.PageSize.A4, 1).write())) {
            assertEquals(PDRectangle.A4.getWidth(), doc.getPage(0).getMediaBox().getWidth(), 0.1);
        }
        assertThrows(IllegalArgumentException.class, () -> PdfReport.PageSize.parse("A3"));
        assertEquals(PdfReport.PageSize.LETTER, PdfReport.PageSize.parse(" letter "));
    }
}
