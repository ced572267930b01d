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

    /**
     * One image or frame: frame number 1 for single-frame images; position is ImagePositionPatient,
     * orientation ImageOrientationPatient (row then column direction cosines), spacing PixelSpacing
     * (between rows, then between columns). Orientation and spacing are null when the header lacks them.
     */
    public record SourceImage(String sopClassUid, String sopInstanceUid, int frameNumber, double[] position,
                              double[] orientation, double[] spacing, boolean multiFrame) {
        public SourceImage {
            position = position.clone();
            orientation = orientation == null || orientation.length != 6 ? null : orientation.clone();
            spacing = spacing == null || spacing.length != 2 ? null : spacing.clone();
        }

        public SourceImage(String sopClassUid, String sopInstanceUid, int frameNumber, double[] position) {
            this(sopClassUid, sopInstanceUid, frameNumber, position, null, null, false);
        }

        @Override
        public double[] position() {
            return position.clone();
        }

        /**
         * Continuous (column, row) of a patient position projected onto this image, in the pixel
         * coordinates of an SR SCOORD (PS3.3 C.18.6.1.1: the top left pixel's centre is 0.5, 0.5); null
         * without orientation and spacing.
         */
        public double[] pixel(double[] lps) {
            if (orientation == null || spacing == null) {
                return null;
            }
            double[] d = {lps[0] - position[0], lps[1] - position[1], lps[2] - position[2]};
            double alongRow = d[0] * orientation[0] + d[1] * orientation[1] + d[2] * orientation[2];
            double alongColumn = d[0] * orientation[3] + d[1] * orientation[4] + d[2] * orientation[5];
            return new double[] {alongRow / spacing[1] + 0.5, alongColumn / spacing[0] + 0.5};
        }

        /** The unit normal of the image plane (row x column), or null. */
        public double[] normal() {
            if (orientation == null) {
                return null;
            }
            double[] r = {orientation[0], orientation[1], orientation[2]};
            double[] c = {orientation[3], orientation[4], orientation[5]};
            return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
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
                images.add(new SourceImage(sopClass, sop, 1, position(list),
                        Attribute.getDoubleValues(list, TagFromName.ImageOrientationPatient),
                        Attribute.getDoubleValues(list, TagFromName.PixelSpacing), false));
                continue;
            }
            AttributeList shared = firstItem(list, TagFromName.SharedFunctionalGroupsSequence);
            for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
                AttributeList frame = perFrame.getItem(f).getAttributeList();
                AttributeList plane = firstItem(frame, TagFromName.PlanePositionSequence);
                double[] p = plane == null ? new double[3] : position(plane);
                images.add(new SourceImage(sopClass, sop, f + 1, p,
                        functional(frame, shared, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient),
                        functional(frame, shared, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing), true));
            }
        }
        return new SourceSeries(series, frameOfReference, images);
    }

    private static AttributeList firstItem(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        SequenceAttribute s = (SequenceAttribute) list.get(tag);
        return s == null || s.getNumberOfItems() == 0 ? null : s.getItem(0).getAttributeList();
    }

    /** A functional group's attribute: the frame's own, else the shared one. */
    private static double[] functional(AttributeList frame, AttributeList shared, com.pixelmed.dicom.AttributeTag group,
                                       com.pixelmed.dicom.AttributeTag tag) throws DicomException {
        for (AttributeList where : new AttributeList[] {frame, shared}) {
            AttributeList item = where == null ? null : firstItem(where, group);
            double[] v = item == null ? null : Attribute.getDoubleValues(item, tag);
            if (v != null) {
                return v;
            }
        }
        return null;
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
