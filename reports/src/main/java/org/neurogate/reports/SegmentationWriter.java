package org.neurogate.reports;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;
import org.neurogate.inference.volume.Volume;

/**
 * A binary DICOM Segmentation (PS3.3 A.51) of a label map on the grid of its source series: one
 * frame per segment and slice that the segment touches, each frame naming its segment, its plane
 * position and the source image it was derived from; the header copies the source study.
 */
public final class SegmentationWriter {

    /** Where the SEG goes and what it is called. */
    public record SeriesInfo(String seriesInstanceUid, String sopInstanceUid, int seriesNumber, String seriesDescription,
                             String contentLabel, String algorithmName, String algorithmVersion) {
        public SeriesInfo {
            if (seriesInstanceUid == null || sopInstanceUid == null || seriesInstanceUid.isBlank() || sopInstanceUid.isBlank()) {
                throw new IllegalArgumentException("a segmentation needs its series and SOP instance UIDs");
            }
            if (contentLabel == null || !contentLabel.matches("[A-Z0-9_ ]{1,16}")) {
                throw new IllegalArgumentException("content label must be a CS: 1-16 upper-case letters, digits, _ or space");
            }
            if (algorithmName == null || algorithmName.isBlank() || algorithmVersion == null || algorithmVersion.isBlank()) {
                throw new IllegalArgumentException("a segmentation names its algorithm and version");
            }
        }
    }

    /** (0062,0009) Segment Algorithm Name, LO: not in PixelMed's 2022 dictionary of tag names. */
    static final AttributeTag SEGMENT_ALGORITHM_NAME = new AttributeTag(0x0062, 0x0009);

    /** The SEG data set and the segments it holds, in segment-number order (number = index + 1). */
    public record Written(AttributeList dataset, List<Segment> segments) {
        public Written {
            segments = List.copyOf(segments);
        }

        public int segmentNumber(Segment segment) {
            int i = segments.indexOf(segment);
            return i < 0 ? 0 : i + 1;
        }
    }

    private SegmentationWriter() {
    }

    /**
     * @param labels   label map on the source series' grid (same size, spacing and orientation)
     * @param segments the labels to encode; a segment with no voxel is left out
     * @return the SEG and its segments, or null when no segment has a voxel
     */
    public static Written write(Volume labels, List<Segment> segments, SourceSeries source, AttributeList studyHeader,
                                      Equipment equipment, SeriesInfo info, String contentDateTime) throws DicomException {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a segmentation needs at least one segment");
        }
        int nx = labels.nx();
        int ny = labels.ny();
        float[] v = labels.voxels();
        double[] normal = cross(labels.axis(0), labels.axis(1));
        List<int[]> frames = new ArrayList<>(); // [segment index, slice]
        List<Segment> present = new ArrayList<>();
        for (Segment s : segments) {
            boolean any = false;
            for (int k = 0; k < labels.nz(); k++) {
                if (sliceHas(v, nx * ny, k, s)) {
                    if (!any) {
                        present.add(s);
                        any = true;
                    }
                    frames.add(new int[] {present.size(), k});
                }
            }
        }
        if (present.isEmpty()) {
            return null;
        }
        AttributeList list = new AttributeList();
        putInstanceHeader(list, studyHeader, SOPClass.SegmentationStorage, info.sopInstanceUid(), "SEG",
                info.seriesInstanceUid(), info.seriesNumber(), info.seriesDescription(), equipment);
        put(list, TagFromName.FrameOfReferenceUID, source.frameOfReferenceUid());
        list.putNewAttribute(TagFromName.PositionReferenceIndicator);
        putContentDateTime(list, contentDateTime);
        put(list, TagFromName.ImageType, "DERIVED\\PRIMARY");
        put(list, TagFromName.ContentLabel, info.contentLabel());
        put(list, TagFromName.ContentDescription, info.seriesDescription());
        list.putNewAttribute(TagFromName.ContentCreatorName);
        put(list, TagFromName.SegmentationType, "BINARY");
        put(list, TagFromName.LossyImageCompression, "00");
        putImagePixel(list, 1, "MONOCHROME2", ny, nx, 1);
        put(list, TagFromName.NumberOfFrames, Integer.toString(frames.size()));
        putSegments(list, present, info);
        putDimensions(list, info);
        double[] s = labels.spacing();
        double[] row = labels.axis(0);
        double[] column = labels.axis(1);
        AttributeList shared = new AttributeList();
        AttributeList measures = new AttributeList();
        put(measures, TagFromName.PixelSpacing, decimal(s[1]) + "\\" + decimal(s[0]));
        put(measures, TagFromName.SliceThickness, decimal(s[2]));
        put(measures, TagFromName.SpacingBetweenSlices, decimal(s[2]));
        sequence(shared, TagFromName.PixelMeasuresSequence).addItem(measures);
        AttributeList orientation = new AttributeList();
        put(orientation, TagFromName.ImageOrientationPatient, decimal(row[0]) + "\\" + decimal(row[1]) + "\\" + decimal(row[2])
                + "\\" + decimal(column[0]) + "\\" + decimal(column[1]) + "\\" + decimal(column[2]));
        sequence(shared, TagFromName.PlaneOrientationSequence).addItem(orientation);
        sequence(list, TagFromName.SharedFunctionalGroupsSequence).addItem(shared);
        SequenceAttribute perFrame = sequence(list, TagFromName.PerFrameFunctionalGroupsSequence);
        int frameBits = nx * ny;
        byte[] pixels = new byte[(frames.size() * frameBits + 7) / 8 + ((frames.size() * frameBits + 7) / 8) % 2];
        List<SourceSeries.SourceImage> used = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            int segmentNumber = frames.get(f)[0];
            int k = frames.get(f)[1];
            Segment segment = present.get(segmentNumber - 1);
            int base = k * frameBits;
            for (int p = 0; p < frameBits; p++) {
                if (segment.contains(v[base + p])) {
                    int bit = f * frameBits + p;
                    pixels[bit >> 3] |= (byte) (1 << (bit & 7));
                }
            }
            double[] position = labels.voxelToPatient(0, 0, k);
            AttributeList item = new AttributeList();
            AttributeList content = new AttributeList();
            put(content, TagFromName.DimensionIndexValues, segmentNumber + "\\" + (k + 1));
            sequence(item, TagFromName.FrameContentSequence).addItem(content);
            AttributeList plane = new AttributeList();
            put(plane, TagFromName.ImagePositionPatient, decimal(position[0]) + "\\" + decimal(position[1]) + "\\"
                    + decimal(position[2]));
            sequence(item, TagFromName.PlanePositionSequence).addItem(plane);
            AttributeList identification = new AttributeList();
            put(identification, TagFromName.ReferencedSegmentNumber, Integer.toString(segmentNumber));
            sequence(item, TagFromName.SegmentIdentificationSequence).addItem(identification);
            SourceSeries.SourceImage image = source.imageAt(position, normal, s[2]);
            if (image != null) {
                putDerivation(item, image);
                if (!used.contains(image)) {
                    used.add(image);
                }
            }
            perFrame.addItem(item);
        }
        OtherByteAttribute pixelData = new OtherByteAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        list.put(pixelData);
        putReferencedSeries(list, source, used.isEmpty() ? source.images() : used);
        return new Written(list, present);
    }

    private static boolean sliceHas(float[] v, int perSlice, int k, Segment segment) {
        for (int p = k * perSlice; p < (k + 1) * perSlice; p++) {
            if (segment.contains(v[p])) {
                return true;
            }
        }
        return false;
    }

    private static void putSegments(AttributeList list, List<Segment> present, SeriesInfo info) throws DicomException {
        SequenceAttribute segments = sequence(list, TagFromName.SegmentSequence);
        for (int i = 0; i < present.size(); i++) {
            Segment s = present.get(i);
            AttributeList item = new AttributeList();
            put(item, TagFromName.SegmentNumber, Integer.toString(i + 1));
            put(item, TagFromName.SegmentLabel, s.label());
            put(item, TagFromName.SegmentAlgorithmType, "AUTOMATIC");
            put(item, SEGMENT_ALGORITHM_NAME, info.algorithmName() + " " + info.algorithmVersion());
            CodedSequenceItem.putSingleCodedSequenceAttribute(item, TagFromName.SegmentedPropertyCategoryCodeSequence, code(s.category()));
            CodedSequenceItem.putSingleCodedSequenceAttribute(item, TagFromName.SegmentedPropertyTypeCodeSequence, code(s.type()));
            segments.addItem(item);
        }
    }

    private static void putDimensions(AttributeList list, SeriesInfo info) throws DicomException {
        String organisation = info.sopInstanceUid() + ".1";
        if (organisation.length() > 64) {
            organisation = "2.25." + new java.math.BigInteger(1, java.util.UUID.nameUUIDFromBytes(
                    info.sopInstanceUid().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toString().replace("-", "")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)).mod(java.math.BigInteger.TEN.pow(38));
        }
        AttributeList org = new AttributeList();
        put(org, TagFromName.DimensionOrganizationUID, organisation);
        sequence(list, TagFromName.DimensionOrganizationSequence).addItem(org);
        SequenceAttribute index = sequence(list, TagFromName.DimensionIndexSequence);
        index.addItem(dimension(organisation, TagFromName.ReferencedSegmentNumber, TagFromName.SegmentIdentificationSequence,
                "Referenced Segment Number"));
        index.addItem(dimension(organisation, TagFromName.ImagePositionPatient, TagFromName.PlanePositionSequence,
                "Image Position Patient"));
    }

    private static AttributeList dimension(String organisation, AttributeTag pointer, AttributeTag group, String label)
            throws DicomException {
        AttributeList item = new AttributeList();
        put(item, TagFromName.DimensionOrganizationUID, organisation);
        AttributeTagAttribute p = new AttributeTagAttribute(TagFromName.DimensionIndexPointer);
        p.addValue(pointer);
        item.put(p);
        AttributeTagAttribute g = new AttributeTagAttribute(TagFromName.FunctionalGroupPointer);
        g.addValue(group);
        item.put(g);
        put(item, TagFromName.DimensionDescriptionLabel, label);
        return item;
    }

    private static void putDerivation(AttributeList item, SourceSeries.SourceImage image) throws DicomException {
        AttributeList derivation = new AttributeList();
        CodedSequenceItem.putSingleCodedSequenceAttribute(derivation, TagFromName.DerivationCodeSequence,
                code(Concepts.SEGMENTATION));
        AttributeList sourceImage = new AttributeList();
        put(sourceImage, TagFromName.ReferencedSOPClassUID, image.sopClassUid());
        put(sourceImage, TagFromName.ReferencedSOPInstanceUID, image.sopInstanceUid());
        if (image.frameNumber() > 1 || SOPClass.isMultiframeImageStorage(image.sopClassUid())) {
            put(sourceImage, TagFromName.ReferencedFrameNumber, Integer.toString(image.frameNumber()));
        }
        CodedSequenceItem.putSingleCodedSequenceAttribute(sourceImage, TagFromName.PurposeOfReferenceCodeSequence,
                code(Concepts.SOURCE_IMAGE_FOR_IMAGE_PROCESSING_OPERATION));
        sequence(derivation, TagFromName.SourceImageSequence).addItem(sourceImage);
        sequence(item, TagFromName.DerivationImageSequence).addItem(derivation);
    }

    /** Common Instance Reference module: every source instance the frames were derived from. */
    static void putReferencedSeries(AttributeList list, SourceSeries source, List<SourceSeries.SourceImage> images)
            throws DicomException {
        AttributeList series = new AttributeList();
        put(series, TagFromName.SeriesInstanceUID, source.seriesInstanceUid());
        SequenceAttribute instances = sequence(series, TagFromName.ReferencedInstanceSequence);
        List<String> seen = new ArrayList<>();
        for (SourceSeries.SourceImage image : images) {
            if (seen.contains(image.sopInstanceUid())) {
                continue;
            }
            seen.add(image.sopInstanceUid());
            AttributeList ref = new AttributeList();
            put(ref, TagFromName.ReferencedSOPClassUID, image.sopClassUid());
            put(ref, TagFromName.ReferencedSOPInstanceUID, image.sopInstanceUid());
            instances.addItem(ref);
        }
        sequence(list, TagFromName.ReferencedSeriesSequence).addItem(series);
    }

    /**
     * What every object NeuroGate writes starts with: the source's patient and study, its own SOP
     * class and instance, its series, the equipment, and the private coding scheme's declaration.
     */
    static void putInstanceHeader(AttributeList list, AttributeList studyHeader, String sopClass, String sopInstance,
                                  String modality, String series, int seriesNumber, String seriesDescription,
                                  Equipment equipment) throws DicomException {
        list.putAll(StudyHeader.from(studyHeader));
        put(list, TagFromName.SOPClassUID, sopClass);
        put(list, TagFromName.SOPInstanceUID, sopInstance);
        put(list, TagFromName.Modality, modality);
        put(list, TagFromName.SeriesInstanceUID, series);
        put(list, TagFromName.SeriesNumber, Integer.toString(seriesNumber));
        put(list, TagFromName.SeriesDescription, seriesDescription);
        put(list, TagFromName.InstanceNumber, "1");
        putEquipment(list, equipment);
        putCodingSchemes(list);
    }

    /** Image Pixel module: unsigned samples of {@code bits} bits, all of them stored. */
    static void putImagePixel(AttributeList list, int samplesPerPixel, String photometric, int rows, int columns, int bits)
            throws DicomException {
        put(list, TagFromName.SamplesPerPixel, Integer.toString(samplesPerPixel));
        put(list, TagFromName.PhotometricInterpretation, photometric);
        put(list, TagFromName.Rows, Integer.toString(rows));
        put(list, TagFromName.Columns, Integer.toString(columns));
        put(list, TagFromName.BitsAllocated, Integer.toString(bits));
        put(list, TagFromName.BitsStored, Integer.toString(bits));
        put(list, TagFromName.HighBit, Integer.toString(bits - 1));
        put(list, TagFromName.PixelRepresentation, "0");
    }

    /** Content and Series Date and Time from one YYYYMMDDHHMMSS date-time: when the object was made. */
    static void putContentDateTime(AttributeList list, String contentDateTime) throws DicomException {
        String date = contentDateTime.substring(0, 8);
        String time = contentDateTime.substring(8);
        put(list, TagFromName.ContentDate, date);
        put(list, TagFromName.ContentTime, time);
        put(list, TagFromName.SeriesDate, date);
        put(list, TagFromName.SeriesTime, time);
    }

    /** Declares the 99NEUROGATE private coding scheme (Coding Scheme Identification Sequence). */
    static void putCodingSchemes(AttributeList list) throws DicomException {
        AttributeList item = new AttributeList();
        put(item, TagFromName.CodingSchemeDesignator, Concepts.LOCAL);
        put(item, TagFromName.CodingSchemeName, Concepts.LOCAL_SCHEME_NAME);
        put(item, TagFromName.CodingSchemeResponsibleOrganization, Concepts.LOCAL_SCHEME_OWNER);
        sequence(list, TagFromName.CodingSchemeIdentificationSequence).addItem(item);
    }

    static void putEquipment(AttributeList list, Equipment equipment) throws DicomException {
        put(list, TagFromName.Manufacturer, equipment.manufacturer());
        put(list, TagFromName.ManufacturerModelName, equipment.modelName());
        put(list, TagFromName.DeviceSerialNumber, equipment.deviceSerialNumber());
        put(list, TagFromName.SoftwareVersions, equipment.softwareVersion());
    }

    static CodedSequenceItem code(CodedConcept c) throws DicomException {
        return new CodedSequenceItem(c.code(), c.scheme(), c.meaning());
    }

    static SequenceAttribute sequence(AttributeList list, AttributeTag tag) {
        SequenceAttribute s = new SequenceAttribute(tag);
        list.put(s);
        return s;
    }

    static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute a = tag.equals(SEGMENT_ALGORITHM_NAME) ? new com.pixelmed.dicom.LongStringAttribute(tag)
                : tag.equals(MeasurementReportWriter.CONTRIBUTION_DATE_TIME) ? new com.pixelmed.dicom.DateTimeAttribute(tag)
                : com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        if (value != null && !value.isEmpty()) {
            for (String part : value.split("\\\\", -1)) {
                a.addValue(part);
            }
        }
        list.put(a);
    }

    /** A DS value of at most 16 characters. */
    static String decimal(double x) {
        String s = String.format(Locale.ROOT, "%.6f", x);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s.length() > 16 ? String.format(Locale.ROOT, "%.8g", x) : s;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** The first item of a sequence, for tests and readers. */
    static AttributeList first(AttributeList list, AttributeTag tag) {
        SequenceItem item = ((SequenceAttribute) list.get(tag)).getItem(0);
        return item.getAttributeList();
    }
}
