package org.neurogate.phantoms.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurogate.phantoms.RenderedSeries;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Writes a rendered series as classic single-frame MR Image Storage objects (PS3.3 A.4), one file per
 * slice and b-value, with the geometry of its grid. Written with PixelMed.
 */
public final class MrImageWriter {

    /** MR Diffusion Macro's b-value (0018,9087); accepted in MR images by common readers. */
    static final AttributeTag DIFFUSION_B_VALUE = new AttributeTag(0x0018, 0x9087);
    static final AttributeTag SCANNING_SEQUENCE = new AttributeTag(0x0018, 0x0020);
    static final AttributeTag SEQUENCE_VARIANT = new AttributeTag(0x0018, 0x0021);
    static final AttributeTag SCAN_OPTIONS = new AttributeTag(0x0018, 0x0022);
    static final AttributeTag SEQUENCE_NAME = new AttributeTag(0x0018, 0x0024);
    static final AttributeTag INVERSION_TIME = new AttributeTag(0x0018, 0x0082);
    static final AttributeTag MAGNETIC_FIELD_STRENGTH = new AttributeTag(0x0018, 0x0087);
    static final AttributeTag FLIP_ANGLE = new AttributeTag(0x0018, 0x1314);

    private MrImageWriter() {
    }

    /**
     * @param uids derives instance UIDs: {@code uids.apply("instance-<series>-<n>")}
     */
    public static List<Path> write(RenderedSeries series, StudyIdentity study, SeriesProtocol protocol,
                                   java.util.function.Function<String, String> uids, String transferSyntaxUid,
                                   Path dir) throws IOException {
        Files.createDirectories(dir);
        ImageGrid g = series.grid();
        int perVolume = g.voxelCount();
        int perSlice = g.columns() * g.rows();
        List<Path> files = new ArrayList<>();
        int instance = 0;
        for (int volume = 0; volume < series.volumes(); volume++) {
            for (int k = 0; k < g.slices(); k++) {
                instance++;
                short[] pixels = new short[perSlice];
                System.arraycopy(series.frames(), volume * perVolume + k * perSlice, pixels, 0, perSlice);
                Integer bValue = series.bValues().length > 0 ? series.bValues()[volume] : null;
                String sopInstanceUid = uids.apply("instance-" + protocol.seriesNumber() + "-" + instance);
                try {
                    AttributeList list = slice(study, protocol, g, k, instance, bValue, sopInstanceUid, pixels);
                    study.overrides().applyTo(list);
            FileMetaInformation.addFileMetaInformation(list, transferSyntaxUid, "NEUROGATE_PH");
                    Path file = dir.resolve(String.format(Locale.ROOT, "IM%05d.dcm", instance));
                    list.write(file.toFile(), transferSyntaxUid, true, true);
                    files.add(file);
                } catch (DicomException e) {
                    throw new IOException("cannot write " + protocol.seriesDescription() + " slice " + k + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return files;
    }

    static AttributeList slice(StudyIdentity study, SeriesProtocol protocol, ImageGrid g, int k, int instance,
                               Integer bValue, String sopInstanceUid, short[] pixels) throws DicomException {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, SOPClass.MRImageStorage);
        put(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        putStudy(list, study);
        putSeries(list, protocol);
        put(list, TagFromName.InstanceNumber, Integer.toString(instance));
        put(list, TagFromName.AcquisitionNumber, "1");
        put(list, TagFromName.ContentDate, study.studyDate());
        put(list, TagFromName.ContentTime, study.studyTime());
        put(list, TagFromName.ImageType, protocol.imageType());
        put(list, SCANNING_SEQUENCE, protocol.scanningSequence());
        put(list, SEQUENCE_VARIANT, protocol.sequenceVariant());
        put(list, SCAN_OPTIONS, "");
        put(list, TagFromName.MRAcquisitionType, protocol.acquisitionType());
        put(list, SEQUENCE_NAME, protocol.sequenceName());
        put(list, TagFromName.RepetitionTime, number(protocol.repetitionTime()));
        put(list, TagFromName.EchoTime, number(protocol.echoTime()));
        if (protocol.inversionTime() != null) {
            put(list, INVERSION_TIME, number(protocol.inversionTime()));
        }
        put(list, FLIP_ANGLE, number(protocol.flipAngle()));
        put(list, TagFromName.EchoTrainLength, "1");
        put(list, MAGNETIC_FIELD_STRENGTH, "3");
        put(list, TagFromName.ImagedNucleus, "1H");
        if (bValue != null) {
            put(list, DIFFUSION_B_VALUE, number(bValue));
        }
        putGeometry(list, g, k);
        putImagePixel(list, g, pixels);
        return list;
    }

    /** Image Pixel Module (PS3.3 C.7.6.3): unsigned 12-bit monochrome in 16-bit words. */
    static void putImagePixel(AttributeList list, ImageGrid g, short[] pixels) throws DicomException {
        put(list, TagFromName.SamplesPerPixel, "1");
        put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(list, TagFromName.Rows, Integer.toString(g.rows()));
        put(list, TagFromName.Columns, Integer.toString(g.columns()));
        put(list, TagFromName.BitsAllocated, "16");
        put(list, TagFromName.BitsStored, "12");
        put(list, TagFromName.HighBit, "11");
        put(list, TagFromName.PixelRepresentation, "0");
        Attribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        list.put(pixelData);
    }

    static void putStudy(AttributeList list, StudyIdentity study) throws DicomException {
        put(list, TagFromName.PatientName, study.patientName());
        put(list, TagFromName.PatientID, study.patientId());
        put(list, TagFromName.PatientBirthDate, study.birthDate());
        put(list, TagFromName.PatientSex, study.sex());
        put(list, TagFromName.PatientAge, study.age());
        put(list, TagFromName.StudyInstanceUID, study.studyInstanceUid());
        put(list, TagFromName.StudyDate, study.studyDate());
        put(list, TagFromName.StudyTime, study.studyTime());
        put(list, TagFromName.StudyID, "1");
        put(list, TagFromName.AccessionNumber, study.accessionNumber());
        put(list, TagFromName.ReferringPhysicianName, "");
        put(list, TagFromName.StudyDescription, "MR BRAIN (NeuroGate phantom)");
        put(list, TagFromName.FrameOfReferenceUID, study.frameOfReferenceUid());
        put(list, TagFromName.PositionReferenceIndicator, "");
    }

    /** General Series and equipment attributes shared by classic and enhanced objects (PS3.3 C.7.3.1, C.7.5.1). */
    static void putSeries(AttributeList list, SeriesProtocol protocol) throws DicomException {
        put(list, TagFromName.Modality, "MR");
        put(list, TagFromName.Manufacturer, "NeuroGate phantoms");
        put(list, TagFromName.SeriesInstanceUID, protocol.seriesInstanceUid());
        put(list, TagFromName.SeriesNumber, Integer.toString(protocol.seriesNumber()));
        put(list, TagFromName.SeriesDescription, protocol.seriesDescription());
        put(list, TagFromName.ProtocolName, protocol.seriesDescription());
        put(list, TagFromName.BodyPartExamined, "HEAD");
        put(list, TagFromName.PatientPosition, "HFS");
    }

    static void putGeometry(AttributeList list, ImageGrid g, int k) throws DicomException {
        Vec3 r = g.rowDirection();
        Vec3 c = g.columnDirection();
        Vec3 position = g.slicePosition(k);
        put(list, TagFromName.ImagePositionPatient, vector(position));
        put(list, TagFromName.ImageOrientationPatient, vector(r) + "\\" + vector(c));
        put(list, TagFromName.PixelSpacing, number(g.rowSpacing()) + "\\" + number(g.columnSpacing()));
        put(list, TagFromName.SliceThickness, number(g.sliceThickness()));
        put(list, TagFromName.SpacingBetweenSlices, number(g.sliceSpacing()));
        put(list, TagFromName.SliceLocation, number(position.dot(g.sliceDirection())));
    }

    static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        if (value != null && !value.isEmpty()) {
            a.addValue(value);
        }
        list.put(a);
    }

    /** DS values: at most 16 characters (PS3.5 6.2), enough for 0.001 mm over a 1 m field of view. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        if (s.equals("-0")) {
            s = "0";
        }
        return s.length() <= 16 ? s : String.format(Locale.ROOT, "%.9g", v).trim();
    }

    static String vector(Vec3 v) {
        return number(v.x()) + "\\" + number(v.y()) + "\\" + number(v.z());
    }
}
