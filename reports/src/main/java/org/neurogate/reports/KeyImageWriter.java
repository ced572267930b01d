package org.neurogate.reports;

import static org.neurogate.reports.SegmentationWriter.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.reports.render.DisplayPlane;
import org.neurogate.reports.render.KeyImages;
import org.neurogate.reports.render.SliceRenderer;

/**
 * Key images as Secondary Capture (PS3.3 A.8.1), one series per report: the viewer's key images with
 * their overlays, legend and orientation letters burned in, and a label saying they are not for
 * diagnosis unread. Every PACS shows an RGB Secondary Capture, which is why they exist beside the SEG.
 */
public final class KeyImageWriter {

    /** Where the key images go. */
    public record SeriesInfo(String seriesInstanceUid, int seriesNumber, String seriesDescription, String label,
                             String contentDateTime) {
        public SeriesInfo {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("key images carry their label");
            }
        }
    }

    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private KeyImageWriter() {
    }

    /** The key image as burned into the Secondary Capture: the rendered slice with the label strip on top. */
    public static BufferedImage burnIn(KeyImages.KeyImage key, String label) {
        BufferedImage slice = SliceRenderer.render(key.slice());
        int strip = 24;
        BufferedImage out = new BufferedImage(slice.getWidth(), slice.getHeight() + strip, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(0x20, 0x20, 0x20));
            g.fillRect(0, 0, out.getWidth(), strip);
            g.drawImage(slice, 0, strip, null);
            g.setColor(new Color(255, 210, 0));
            // The whole label, in the largest of 14-9 pt that fits; cut only when even 9 pt does not.
            Font font = LABEL;
            g.setFont(font);
            while (g.getFontMetrics().stringWidth(label) > out.getWidth() - 12 && font.getSize() > 9) {
                font = font.deriveFont((float) font.getSize() - 1);
                g.setFont(font);
            }
            String text = label;
            if (g.getFontMetrics().stringWidth(label) > out.getWidth() - 12) {
                while (g.getFontMetrics().stringWidth(text + "…") > out.getWidth() - 12 && text.length() > 4) {
                    text = text.substring(0, text.length() - 1);
                }
                text += "…";
            }
            g.drawString(text, 6, 17);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * @param sopInstanceUids one per key image, in order
     */
    public static List<AttributeList> write(List<KeyImages.KeyImage> keys, List<String> sopInstanceUids,
                                            AttributeList studyHeader, Equipment equipment, SeriesInfo info)
            throws DicomException {
        if (keys.size() != sopInstanceUids.size()) {
            throw new IllegalArgumentException("one SOP Instance UID per key image");
        }
        List<AttributeList> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            KeyImages.KeyImage key = keys.get(i);
            BufferedImage image = burnIn(key, info.label());
            AttributeList list = new AttributeList();
            SegmentationWriter.putInstanceHeader(list, studyHeader, SOPClass.SecondaryCaptureImageStorage,
                    sopInstanceUids.get(i), "OT", info.seriesInstanceUid(), info.seriesNumber(), info.seriesDescription(),
                    equipment);
            put(list, TagFromName.InstanceNumber, Integer.toString(i + 1));
            SegmentationWriter.putContentDateTime(list, info.contentDateTime());
            put(list, TagFromName.ConversionType, "WSD");
            // General Series: Laterality is type 2C for a modality other than the paired-organ ones; the brain is unpaired.
            list.putNewAttribute(TagFromName.Laterality);
            put(list, TagFromName.ImageType, "DERIVED\\SECONDARY");
            put(list, TagFromName.PatientOrientation, orientation(key.slice().geometry().plane()));
            put(list, TagFromName.ImageComments, key.title() + " (" + key.slice().caption() + ")");
            put(list, TagFromName.DerivationDescription, "Rendered by NeuroGate from the " + key.role()
                    + " series with the analysis's label map burned in");
            // The legend, orientation letters and the review label are burned in; nothing identifies the patient.
            put(list, TagFromName.BurnedInAnnotation, "YES");
            put(list, TagFromName.LossyImageCompression, "00");
            putRgb(list, image);
            out.add(list);
        }
        return out;
    }

    /** Patient Orientation (0020,0020): the directions of increasing column and row, radiological display. */
    static String orientation(DisplayPlane plane) {
        return letter(plane.column()) + "\\" + letter(plane.row());
    }

    private static String letter(double[] lps) {
        if (Math.abs(lps[0]) > 0.5) {
            return lps[0] > 0 ? "L" : "R";
        }
        if (Math.abs(lps[1]) > 0.5) {
            return lps[1] > 0 ? "P" : "A";
        }
        return lps[2] > 0 ? "H" : "F";
    }

    private static void putRgb(AttributeList list, BufferedImage image) throws DicomException {
        int w = image.getWidth();
        int h = image.getHeight();
        SegmentationWriter.putImagePixel(list, 3, "RGB", h, w, 8);
        put(list, TagFromName.PlanarConfiguration, "0");
        byte[] pixels = new byte[w * h * 3 + (w * h * 3) % 2];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                pixels[o] = (byte) (row[x] >> 16);
                pixels[o + 1] = (byte) (row[x] >> 8);
                pixels[o + 2] = (byte) row[x];
            }
        }
        OtherByteAttribute data = new OtherByteAttribute(TagFromName.PixelData);
        data.setValues(pixels);
        list.put(data);
    }
}
