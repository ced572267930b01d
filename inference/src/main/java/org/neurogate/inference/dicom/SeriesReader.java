package org.neurogate.inference.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.SourceImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads the files of one series with PixelMed and decodes their frames: classic single-frame images
 * and Enhanced MR multi-frame objects (geometry from the per-frame and shared functional groups,
 * PS3.3 C.7.6.16). Pixel data is decoded by PixelMed's frame decoder with the ImageIO readers on the
 * class path (JPEG lossless, JPEG 2000); a syntax without a reader is a QC failure, never garbage.
 */
public final class SeriesReader {

    private static final AttributeTag DIFFUSION_B_VALUE = new AttributeTag(0x0018, 0x9087);
    private static final AttributeTag INVERSION_TIME = new AttributeTag(0x0018, 0x0082);
    private static final AttributeTag SCANNING_SEQUENCE = new AttributeTag(0x0018, 0x0020);
    private static final AttributeTag SIEMENS_SDI_CREATOR = new AttributeTag(0x0021, 0x0011);
    private static final AttributeTag SIEMENS_SDI_FRAME_SEQUENCE = new AttributeTag(0x0021, 0x11FE);
    private static final AttributeTag SIEMENS_SDI_IMAGE_TYPE = new AttributeTag(0x0021, 0x1175);
    private static final Set<String> MONOCHROME = Set.of("MONOCHROME1", "MONOCHROME2");
    private static final Set<String> NATIVE_SYNTAXES = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99");

    /** A read series: its attributes and every decoded frame. */
    public record ReadSeries(SeriesAttributes attributes, List<DicomFrame> frames) {
    }

    private SeriesReader() {
    }

    public static ReadSeries read(List<Path> files) throws QcException {
        if (files.isEmpty()) {
            throw new QcException(QcFailure.Reason.TOO_FEW_SLICES, "no files");
        }
        SeriesAttributes attributes = null;
        List<DicomFrame> frames = new ArrayList<>();
        for (Path file : files) {
            AttributeList list = readDecoded(file);
            if (list.get(TagFromName.PixelData) == null) {
                continue; // a presentation state or private object filed in the same series: no image to stack
            }
            if (attributes == null) {
                attributes = attributes(list);
            }
            String photometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation);
            if (!MONOCHROME.contains(photometric)) {
                throw new QcException(QcFailure.Reason.UNSUPPORTED_PHOTOMETRIC_INTERPRETATION,
                        "'" + photometric + "' in series " + attributes.seriesDescription() + "; only MONOCHROME1/2 images are analysed");
            }
            frames.addAll(frames(list, attributes));
        }
        if (attributes == null) {
            throw new QcException(QcFailure.Reason.NOT_AN_IMAGE, "no pixel data in its " + files.size() + " object(s)");
        }
        return new ReadSeries(attributes, frames);
    }

    /** Reads a file with its pixel data decoded; tells a missing codec apart from a broken file. */
    private static AttributeList readDecoded(Path file) throws QcException {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile());
            return list;
        } catch (IOException | DicomException | RuntimeException decoding) {
            AttributeList undecoded = new AttributeList();
            undecoded.setDecompressPixelData(false);
            try {
                undecoded.read(file.toFile());
            } catch (IOException | DicomException | RuntimeException broken) {
                throw new QcException(QcFailure.Reason.UNREADABLE, file.getFileName() + ": " + broken.getMessage());
            }
            throw decodeFailure(Attribute.getSingleStringValueOrEmptyString(undecoded, TagFromName.TransferSyntaxUID),
                    decoding);
        }
    }

    static SeriesAttributes attributes(AttributeList list) {
        List<String> imageType = Arrays.asList(orEmpty(Attribute.getStringValues(list, TagFromName.ImageType)));
        return new SeriesAttributes(
                Attribute.getSingleStringValueOrNull(list, TagFromName.SeriesInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesDescription),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality),
                imageType,
                String.join("\\", orEmpty(Attribute.getStringValues(list, SCANNING_SEQUENCE))),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.AcquisitionContrast),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.MRAcquisitionType),
                number(list, TagFromName.RepetitionTime), number(list, TagFromName.EchoTime),
                number(list, INVERSION_TIME),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID),
                imageType.contains("NORM") || siemensEnhancedFrameIsNormalised(list));
    }

    /**
     * Siemens marks a prescan-normalised image (receive-coil shading removed) with NORM in ImageType;
     * its XA enhanced objects leave ImageType without it and keep the reconstruction's own image type
     * in a private per-frame sequence: creator "SIEMENS MR SDI 02", (0021,11FE) > (0021,1175).
     */
    private static boolean siemensEnhancedFrameIsNormalised(AttributeList list) {
        SequenceAttribute perFrame = (SequenceAttribute) list.get(TagFromName.PerFrameFunctionalGroupsSequence);
        if (perFrame == null || perFrame.getNumberOfItems() == 0) {
            return false;
        }
        AttributeList frame = perFrame.getItem(0).getAttributeList();
        if (!Attribute.getSingleStringValueOrEmptyString(frame, SIEMENS_SDI_CREATOR).trim().startsWith("SIEMENS MR SDI")
                || !(frame.get(SIEMENS_SDI_FRAME_SEQUENCE) instanceof SequenceAttribute sdi) || sdi.getNumberOfItems() == 0) {
            return false;
        }
        return Arrays.asList(orEmpty(Attribute.getStringValues(sdi.getItem(0).getAttributeList(), SIEMENS_SDI_IMAGE_TYPE)))
                .contains("NORM");
    }

    private static List<DicomFrame> frames(AttributeList list, SeriesAttributes attributes) throws QcException {
        boolean enhanced = SOPClass.EnhancedMRImageStorage.equals(attributes.sopClassUid())
                || SOPClass.EnhancedMRColorImageStorage.equals(attributes.sopClassUid())
                || list.get(TagFromName.PerFrameFunctionalGroupsSequence) != null;
        SourceImage image;
        try {
            image = new SourceImage(list);
        } catch (DicomException | RuntimeException e) {
            throw decodeFailure(attributes.transferSyntaxUid(), e);
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, 16);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        List<DicomFrame> frames = new ArrayList<>();
        for (int f = 0; f < image.getNumberOfFrames(); f++) {
            double[] position = enhanced ? groupValues(list, f, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient)
                    : Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient);
            double[] orientation = enhanced ? groupValues(list, f, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient)
                    : Attribute.getDoubleValues(list, TagFromName.ImageOrientationPatient);
            double[] spacing = enhanced ? groupValues(list, f, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing)
                    : Attribute.getDoubleValues(list, TagFromName.PixelSpacing);
            if (position == null || position.length != 3 || orientation == null || orientation.length != 6
                    || spacing == null || spacing.length != 2) {
                throw new QcException(QcFailure.Reason.MISSING_GEOMETRY,
                        "frame " + (f + 1) + " lacks ImagePositionPatient, ImageOrientationPatient or PixelSpacing");
            }
            double slope = 1;
            double intercept = 0;
            Double bValue;
            if (enhanced) {
                double[] s = groupValues(list, f, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleSlope);
                double[] i = groupValues(list, f, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleIntercept);
                slope = s == null || s.length == 0 ? 1 : s[0];
                intercept = i == null || i.length == 0 ? 0 : i[0];
                double[] b = groupValues(list, f, TagFromName.MRDiffusionSequence, DIFFUSION_B_VALUE);
                bValue = b == null || b.length == 0 ? null : b[0];
            } else {
                slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1);
                intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0);
                bValue = number(list, DIFFUSION_B_VALUE);
            }
            frames.add(new DicomFrame(position, orientation, spacing[0], spacing[1], rows, columns,
                    pixels(image, f, rows, columns, bitsStored, signed, slope, intercept, attributes.transferSyntaxUid()),
                    bValue));
        }
        return frames;
    }

    private static float[] pixels(SourceImage image, int frame, int rows, int columns, int bitsStored, boolean signed,
                                  double slope, double intercept, String transferSyntax) throws QcException {
        Raster raster;
        try {
            raster = image.getBufferedImage(frame).getRaster();
        } catch (RuntimeException e) {
            throw decodeFailure(transferSyntax, e);
        }
        if (raster.getWidth() != columns || raster.getHeight() != rows) {
            throw new QcException(QcFailure.Reason.UNREADABLE, "decoded frame is " + raster.getWidth() + "x"
                    + raster.getHeight() + ", header says " + columns + "x" + rows);
        }
        boolean signExtend = signed && raster.getDataBuffer().getDataType() != DataBuffer.TYPE_SHORT;
        int signBit = 1 << (bitsStored - 1);
        float[] out = new float[rows * columns];
        int[] row = new int[columns];
        for (int y = 0; y < rows; y++) {
            raster.getSamples(0, y, columns, 1, 0, row);
            for (int x = 0; x < columns; x++) {
                int v = row[x];
                if (signExtend) {
                    v &= (signBit << 1) - 1;
                    if ((v & signBit) != 0) {
                        v -= signBit << 1;
                    }
                }
                out[y * columns + x] = (float) (v * slope + intercept);
            }
        }
        return out;
    }

    /** Native encodings always decode; a failure on an encapsulated syntax means no codec for it here. */
    private static QcException decodeFailure(String transferSyntax, Exception e) {
        if (NATIVE_SYNTAXES.contains(transferSyntax)) {
            return new QcException(QcFailure.Reason.UNREADABLE, "pixel data: " + e.getMessage());
        }
        return new QcException(QcFailure.Reason.UNDECODABLE_TRANSFER_SYNTAX,
                transferSyntax + " has no decoder here (" + e.getMessage() + ")");
    }

    /** A value from a functional group: the frame's own item first, then the shared item (PS3.3 C.7.6.16). */
    private static double[] groupValues(AttributeList list, int frame, AttributeTag group, AttributeTag tag) {
        SequenceAttribute perFrame = (SequenceAttribute) list.get(TagFromName.PerFrameFunctionalGroupsSequence);
        if (perFrame != null && frame < perFrame.getNumberOfItems()) {
            double[] v = fromGroup(perFrame.getItem(frame).getAttributeList(), group, tag);
            if (v != null) {
                return v;
            }
        }
        SequenceAttribute shared = (SequenceAttribute) list.get(TagFromName.SharedFunctionalGroupsSequence);
        if (shared != null && shared.getNumberOfItems() > 0) {
            return fromGroup(shared.getItem(0).getAttributeList(), group, tag);
        }
        return null;
    }

    private static double[] fromGroup(AttributeList item, AttributeTag group, AttributeTag tag) {
        SequenceAttribute s = (SequenceAttribute) item.get(group);
        if (s == null || s.getNumberOfItems() == 0) {
            return null;
        }
        return Attribute.getDoubleValues(s.getItem(0).getAttributeList(), tag);
    }

    private static Double number(AttributeList list, AttributeTag tag) {
        double[] v = Attribute.getDoubleValues(list, tag);
        return v == null || v.length == 0 ? null : v[0];
    }

    private static String[] orEmpty(String[] values) {
        return values == null ? new String[0] : values;
    }
}
