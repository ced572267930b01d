package org.neurogate.reports;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A source series the results refer to: its frame of reference and every image (or enhanced frame)
 * with its position, so a segmentation frame can name the exact image it was derived from.
 */
public record SourceSeries(String seriesInstanceUid, String frameOfReferenceUid, List<SourceImage> images) {

    /** One image or frame: frame number 1 for single-frame images; position is ImagePositionPatient. */
    public record SourceImage(String sopClassUid, String sopInstanceUid, int frameNumber, double[] position) {
        public SourceImage {
            position = position.clone();
        }

        @Override
        public double[] position() {
            return position.clone();
        }
    }

    public SourceSeries {
        if (seriesInstanceUid == null || seriesInstanceUid.isBlank()) {
            throw new IllegalArgumentException("a source series needs its Series Instance UID");
        }
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("source series " + seriesInstanceUid + " has no images");
        }
        images = List.copyOf(images);
    }

    /** Reads the headers (not the pixel data) of the series' files. */
    public static SourceSeries read(List<Path> files) throws IOException, DicomException {
        String series = null;
        String frameOfReference = null;
        List<SourceImage> images = new ArrayList<>();
        for (Path file : files) {
            AttributeList list = new AttributeList();
            list.read(file.toFile(), TagFromName.PixelData);
            if (series == null) {
                series = Attribute.getSingleStringValueOrNull(list, TagFromName.SeriesInstanceUID);
                frameOfReference = Attribute.getSingleStringValueOrNull(list, TagFromName.FrameOfReferenceUID);
            }
            String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
            String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            SequenceAttribute perFrame = (SequenceAttribute) list.get(TagFromName.PerFrameFunctionalGroupsSequence);
            if (perFrame == null) {
                images.add(new SourceImage(sopClass, sop, 1, position(list)));
                continue;
            }
            for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
                AttributeList frame = perFrame.getItem(f).getAttributeList();
                SequenceAttribute plane = (SequenceAttribute) frame.get(TagFromName.PlanePositionSequence);
                double[] p = plane == null ? new double[3] : position(plane.getItem(0).getAttributeList());
                images.add(new SourceImage(sopClass, sop, f + 1, p));
            }
        }
        return new SourceSeries(series, frameOfReference, images);
    }

    private static double[] position(AttributeList list) throws DicomException {
        double[] p = Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient);
        return p == null || p.length != 3 ? new double[3] : p;
    }

    /** The image whose position lies within half a slice of {@code point} along {@code normal}, or null. */
    public SourceImage imageAt(double[] point, double[] normal, double sliceSpacing) {
        SourceImage best = null;
        double bestDistance = Double.MAX_VALUE;
        for (SourceImage image : images) {
            double[] p = image.position;
            double along = Math.abs((p[0] - point[0]) * normal[0] + (p[1] - point[1]) * normal[1] + (p[2] - point[2]) * normal[2]);
            if (along < bestDistance) {
                bestDistance = along;
                best = image;
            }
        }
        return bestDistance <= sliceSpacing / 2 + 1e-3 ? best : null;
    }
}
