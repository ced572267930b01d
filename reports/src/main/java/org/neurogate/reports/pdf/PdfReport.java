package org.neurogate.reports.pdf;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.neurogate.reports.content.ChangeSummary;
import org.neurogate.reports.content.ReportContent;

/**
 * The printable report: what the web report shows, on A4 or Letter pages, for PACS viewers that show
 * neither SR nor SEG. Text is real text (searchable, and what the tests read back); charts and key
 * images are the viewer's own renderings.
 *
 * @param reviewState "Preliminary: not reviewed by a radiologist", or who signed it and when
 * @param generated   when this PDF was made (local date-time text)
 */
public record PdfReport(Header header, ReportContent content, ChangeSummary change, List<Figure> keyImages,
                        String reviewState, String disclaimer, String generated, PageSize pageSize) {

    public enum PageSize {
        A4(PDRectangle.A4), LETTER(PDRectangle.LETTER);

        final PDRectangle rectangle;

        PageSize(PDRectangle rectangle) {
            this.rectangle = rectangle;
        }

        public static PageSize parse(String name) {
            return switch (name.trim().toUpperCase(Locale.ROOT)) {
                case "A4" -> A4;
                case "LETTER" -> LETTER;
                default -> throw new IllegalArgumentException("page size must be A4 or LETTER, was " + name);
            };
        }
    }

    /** The patient and study the report is about, as the images name them. */
    public record Header(String patientName, String patientId, String birthDate, String sex, String studyDate,
                         String accessionNumber, String studyDescription, String studyInstanceUid) {
        public static Header of(AttributeList study) {
            return new Header(
                    Attribute.getSingleStringValueOrEmptyString(study, TagFromName.PatientName).replace('^', ' ').trim(),
                    Attribute.getSingleStringValueOrEmptyString(study, TagFromName.PatientID),
                    readableDate(Attribute.getSingleStringValueOrEmptyString(study, TagFromName.PatientBirthDate)),
                    Attribute.getSingleStringValueOrEmptyString(study, TagFromName.PatientSex),
                    readableDate(Attribute.getSingleStringValueOrEmptyString(study, TagFromName.StudyDate)),
                    Attribute.getSingleStringValueOrEmptyString(study, TagFromName.AccessionNumber),
                    Attribute.getSingleStringValueOrEmptyString(study, TagFromName.StudyDescription),
                    Attribute.getSingleStringValueOrEmptyString(study, TagFromName.StudyInstanceUID));
        }
    }

    /** DICOM DA (YYYYMMDD) as YYYY-MM-DD; anything else as it is. */
    public static String readableDate(String da) {
        return da.matches("\\d{8}") ? da.substring(0, 4) + "-" + da.substring(4, 6) + "-" + da.substring(6) : da;
    }

    /** A YYYYMMDDHHMMSS date-time as YYYY-MM-DD HH:MM. */
    public static String readableDateTime(String dt) {
        return readableDate(dt.substring(0, 8)) + " " + dt.substring(8, 10) + ":" + dt.substring(10, 12);
    }

    /** A titled picture: a key image or a chart. */
    public record Figure(String title, BufferedImage image) {
    }

    public PdfReport {
        keyImages = List.copyOf(keyImages);
    }

    /** The DejaVu font Debian's fonts-dejavu-core installs: it has the glyphs of any patient's name. */
    static final Path UNICODE_FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    static final Path UNICODE_FONT_BOLD = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");

    public byte[] write() {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("NeuroGate brain MRI report");
            info.setCreator("NeuroGate");
            Layout page = new Layout(doc, pageSize.rectangle, font(doc, UNICODE_FONT, Standard14Fonts.FontName.HELVETICA),
                    font(doc, UNICODE_FONT_BOLD, Standard14Fonts.FontName.HELVETICA_BOLD));
            try {
                body(page);
            } finally {
                page.close();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void body(Layout p) throws IOException {
        p.heading("NeuroGate brain MRI report", 16);
        p.paragraph(reviewState, 10, true);
        p.gap(4);
        Header h = header;
        p.table(new float[] {0.18f, 0.32f, 0.18f, 0.32f}, List.of(
                List.of("Patient", h.patientName(), "Patient ID", h.patientId()),
                List.of("Birth date", h.birthDate(), "Sex / age", dash(h.sex()) + " / " + content.ageText()),
                List.of("Study date", h.studyDate(), "Accession", dash(h.accessionNumber())),
                List.of("Study", dash(h.studyDescription()), "Study UID", h.studyInstanceUid())), false, 8.5f);
        p.heading("Measurements", 12);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Analysis", "Measurement", "Value", "Unit", "Percentile", "5th-95th centile", "Flag"));
        for (ReportContent.MeasurementRow r : content.measurements()) {
            rows.add(List.of(r.analysis(), r.meaning(), r.display(), r.unit(), r.percentile(), r.range(), flag(r.flag())));
        }
        p.table(new float[] {0.11f, 0.33f, 0.11f, 0.07f, 0.1f, 0.17f, 0.11f}, rows, true, 8f);
        if (change != null) {
            p.heading("Change since the prior study", 12);
            if (change.compared()) {
                p.paragraph("Prior study " + change.priorStudyDate() + " (" + change.priorStudyInstanceUid() + "), interval "
                        + change.interval() + "; ICV change " + change.icvChange() + " (the check allows 3 %).", 9, false);
            } else {
                p.paragraph("Not compared: " + change.reason() + ".", 9, false);
            }
            if (!change.rows().isEmpty()) {
                List<List<String>> c = new ArrayList<>();
                c.add(List.of("Structure", "Prior (mL)", "Now (mL)", "Change", "Annualised", "Flag"));
                for (ChangeSummary.Row r : change.rows()) {
                    c.add(List.of(r.label(), r.prior(), r.current(), r.change(), r.rate(), r.flag()));
                }
                p.table(new float[] {0.18f, 0.1f, 0.1f, 0.12f, 0.14f, 0.36f}, c, true, 8f);
            }
            for (String line : change.lines()) {
                p.paragraph(line, 9, false);
            }
            for (String note : change.notes()) {
                p.paragraph("Note: " + note, 8, false);
            }
        }
        List<Figure> charts = new ArrayList<>();
        for (ReportContent.Chart c : content.charts()) {
            charts.add(new Figure(c.title(), c.image(2)));
        }
        p.figures("Normative charts (NiChart DLMUSE, cognitively normal adults)", charts);
        p.figures("Key images", keyImages);
        p.heading("Not assessed", 12);
        if (content.notAssessed().isEmpty()) {
            p.paragraph("Every analysis ran.", 9, false);
        }
        for (String n : content.notAssessed()) {
            p.paragraph("- " + n, 9, false);
        }
        p.heading("QC notes", 12);
        for (String n : content.qcNotes()) {
            p.paragraph("- " + n, 9, false);
        }
        p.heading("Models", 12);
        p.paragraph(String.join("; ", content.models()), 9, false);
        p.gap(6);
        p.paragraph(disclaimer, 9, true);
        p.paragraph("Generated " + generated + " by NeuroGate.", 8, false);
    }

    private static String flag(String flag) {
        return switch (flag) {
            case "low" -> "below 5th";
            case "high" -> "above 95th";
            default -> flag;
        };
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static PDFont font(PDDocument doc, Path ttf, Standard14Fonts.FontName fallback) throws IOException {
        if (Files.isReadable(ttf)) {
            return PDType0Font.load(doc, ttf.toFile());
        }
        return new PDType1Font(fallback);
    }

    /** A top-down flow of text, tables and pictures over as many pages as it takes. */
    private static final class Layout {
        private static final float MARGIN = 42;
        private final PDDocument doc;
        private final PDRectangle size;
        private final PDFont regular;
        private final PDFont bold;
        private PDPageContentStream out;
        private float y;
        private int pages;

        Layout(PDDocument doc, PDRectangle size, PDFont regular, PDFont bold) throws IOException {
            this.doc = doc;
            this.size = size;
            this.regular = regular;
            this.bold = bold;
            newPage();
        }

        float width() {
            return size.getWidth() - 2 * MARGIN;
        }

        void newPage() throws IOException {
            if (out != null) {
                out.close();
            }
            PDPage page = new PDPage(size);
            doc.addPage(page);
            out = new PDPageContentStream(doc, page);
            pages++;
            y = size.getHeight() - MARGIN;
            text(MARGIN, 24, regular, 7, "NeuroGate report, page " + pages);
        }

        void room(float height) throws IOException {
            if (y - height < MARGIN) {
                newPage();
            }
        }

        void gap(float points) {
            y -= points;
        }

        void heading(String s, float fontSize) throws IOException {
            room(fontSize * 3);
            y -= fontSize * 1.4f;
            text(MARGIN, y, bold, fontSize, s);
            y -= fontSize * 0.5f;
        }

        void paragraph(String s, float fontSize, boolean strong) throws IOException {
            PDFont f = strong ? bold : regular;
            for (String line : wrap(s, f, fontSize, width())) {
                room(fontSize * 1.4f);
                y -= fontSize * 1.35f;
                text(MARGIN, y, f, fontSize, line);
            }
        }

        void table(float[] fractions, List<List<String>> rows, boolean headerRow, float fontSize) throws IOException {
            for (int r = 0; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                PDFont f = headerRow && r == 0 ? bold : regular;
                List<List<String>> cells = new ArrayList<>();
                int lines = 1;
                for (int c = 0; c < row.size(); c++) {
                    List<String> wrapped = wrap(row.get(c) == null ? "" : row.get(c), f, fontSize,
                            fractions[c] * width() - 4);
                    cells.add(wrapped);
                    lines = Math.max(lines, wrapped.size());
                }
                float height = lines * fontSize * 1.25f + 3;
                room(height);
                if (headerRow && r == 0 || r % 2 == 0) {
                    out.setNonStrokingColor(headerRow && r == 0 ? 0.85f : 0.96f);
                    out.addRect(MARGIN, y - height, width(), height);
                    out.fill();
                    out.setNonStrokingColor(0f);
                }
                float x = MARGIN;
                for (int c = 0; c < cells.size(); c++) {
                    for (int l = 0; l < cells.get(c).size(); l++) {
                        text(x + 2, y - fontSize * (1.05f + 1.25f * l), f, fontSize, cells.get(c).get(l));
                    }
                    x += fractions[c] * width();
                }
                y -= height;
            }
            y -= 4;
        }

        /** A titled section of pictures two to a row; the title stays on the page of the first row. */
        void figures(String title, List<Figure> figures) throws IOException {
            if (figures.isEmpty()) {
                return;
            }
            float column = (width() - 12) / 2;
            float firstRow = 0;
            for (Figure f : figures.subList(0, Math.min(2, figures.size()))) {
                firstRow = Math.max(firstRow, column * f.image().getHeight() / f.image().getWidth());
            }
            room(firstRow + 22 + 12 * 3);
            heading(title, 12);
            for (int i = 0; i < figures.size(); i += 2) {
                List<Figure> row = figures.subList(i, Math.min(i + 2, figures.size()));
                float tallest = 0;
                for (Figure f : row) {
                    tallest = Math.max(tallest, column * f.image().getHeight() / f.image().getWidth());
                }
                room(tallest + 22);
                float x = MARGIN;
                for (Figure f : row) {
                    float h = column * f.image().getHeight() / f.image().getWidth();
                    PDImageXObject image = LosslessFactory.createFromImage(doc, f.image());
                    out.drawImage(image, x, y - h, column, h);
                    text(x, y - tallest - 10, regular, 8, wrap(f.title(), regular, 8, column).get(0));
                    x += column + 12;
                }
                y -= tallest + 18;
            }
        }

        private void text(float x, float atY, PDFont f, float fontSize, String s) throws IOException {
            out.beginText();
            out.setFont(f, fontSize);
            out.newLineAtOffset(x, atY);
            out.showText(printable(f, s));
            out.endText();
        }

        /** Drops what the font cannot draw (the Standard 14 fallback lacks most of Unicode). */
        private static String printable(PDFont f, String s) {
            StringBuilder b = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                String c = new String(Character.toChars(cp));
                try {
                    f.encode(c);
                    b.append(c);
                } catch (IOException | IllegalArgumentException e) {
                    b.append('?');
                }
            });
            return b.toString();
        }

        private static List<String> wrap(String s, PDFont f, float fontSize, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : s.replace('\n', ' ').split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (line.length() > 0 && textWidth(f, candidate, fontSize) > width) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(candidate);
                }
                while (textWidth(f, line.toString(), fontSize) > width && line.length() > 8) {
                    int cut = Math.max(1, (int) (line.length() * width / textWidth(f, line.toString(), fontSize)) - 1);
                    lines.add(line.substring(0, cut));
                    line = new StringBuilder(line.substring(cut));
                }
            }
            lines.add(line.toString());
            return lines;
        }

        private static float textWidth(PDFont f, String s, float fontSize) throws IOException {
            return f.getStringWidth(printable(f, s)) / 1000 * fontSize;
        }

        void close() throws IOException {
            out.close();
        }
    }
}
