package org.neurogate.phantoms;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A classic single-frame axial MR series (MR Image Storage, PS3.3 A.4) of a smooth ellipsoidal head,
 * for load and protocol tests. UIDs are derived from the seed, so the same seed gives the same bytes.
 *
 * <p>The anatomically detailed multi-contrast phantoms with ground truth build on this writer.
 */
public final class SyntheticMrSeries {

    /**
     * What to write.
     *
     * @param seed        drives every UID; the same seed gives the same files
     * @param seriesIndex distinguishes series of one study (same seed, same study)
     * @param slices      number of single-frame instances
     * @param matrix      rows = columns
     * @param spacingMm   in-plane pixel spacing and slice spacing (isotropic)
     */
    public record Spec(long seed, int seriesIndex, int slices, int matrix, double spacingMm) {
        public Spec {
            if (slices < 1) {
                throw new IllegalArgumentException("slices must be >= 1, was " + slices);
            }
            if (matrix < 8 || matrix > 1024) {
                throw new IllegalArgumentException("matrix must be 8..1024, was " + matrix);
            }
            if (!(spacingMm > 0)) {
                throw new IllegalArgumentException("spacingMm must be > 0, was " + spacingMm);
            }
        }
    }

    private SyntheticMrSeries() {
    }

    /** Writes the series as {@code <dir>/<seriesIndex>_<instance>.dcm}; returns the files in slice order. */
    public static List<Path> write(Spec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        String studyUid = uid(spec.seed(), "study");
        String seriesUid = uid(spec.seed(), "series-" + spec.seriesIndex());
        String frameOfReferenceUid = uid(spec.seed(), "for");
        List<Path> files = new ArrayList<>(spec.slices());
        for (int i = 0; i < spec.slices(); i++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "%03d_%05d.dcm", spec.seriesIndex(), i + 1));
            try {
                AttributeList list = slice(spec, i, studyUid, seriesUid, frameOfReferenceUid);
                list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            } catch (DicomException e) {
                throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            files.add(file);
        }
        return files;
    }

    /** A UID under the 2.25 root (PS3.5 B.2) from a name-based UUID of the seed and a label. */
    public static String uid(long seed, String label) {
        UUID uuid = UUID.nameUUIDFromBytes((seed + "/" + label).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bytes.array());
    }

    private static AttributeList slice(Spec spec, int index, String studyUid, String seriesUid,
                                       String frameOfReferenceUid) throws DicomException {
        AttributeList list = new AttributeList();
        String sopInstanceUid = uid(spec.seed(), "instance-" + spec.seriesIndex() + "-" + index);
        put(list, TagFromName.SOPClassUID, SOPClass.MRImageStorage);
        put(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        put(list, TagFromName.StudyInstanceUID, studyUid);
        put(list, TagFromName.SeriesInstanceUID, seriesUid);
        put(list, TagFromName.FrameOfReferenceUID, frameOfReferenceUid);
        put(list, TagFromName.PatientName, "Phantom^Synthetic" + spec.seed());
        put(list, TagFromName.PatientID, "PH" + spec.seed());
        put(list, TagFromName.PatientBirthDate, "19700101");
        put(list, TagFromName.PatientSex, "O");
        put(list, TagFromName.StudyDate, "20260101");
        put(list, TagFromName.StudyTime, "120000");
        put(list, TagFromName.ReferringPhysicianName, "");
        put(list, TagFromName.StudyID, "1");
        put(list, TagFromName.AccessionNumber, "");
        put(list, TagFromName.Modality, "MR");
        put(list, TagFromName.Manufacturer, "NeuroGate phantoms");
        put(list, TagFromName.BodyPartExamined, "HEAD");
        put(list, TagFromName.PatientPosition, "HFS");
        put(list, TagFromName.SeriesNumber, Integer.toString(spec.seriesIndex() + 1));
        put(list, TagFromName.SeriesDescription, "Synthetic axial T1");
        put(list, TagFromName.InstanceNumber, Integer.toString(index + 1));
        put(list, TagFromName.ImageType, "ORIGINAL\\PRIMARY\\OTHER");
        put(list, new AttributeTag(0x0018, 0x0020), "GR");
        put(list, new AttributeTag(0x0018, 0x0021), "SP");
        put(list, new AttributeTag(0x0018, 0x0022), "");
        put(list, TagFromName.MRAcquisitionType, "3D");
        put(list, TagFromName.RepetitionTime, "8.2");
        put(list, TagFromName.EchoTime, "3.7");
        put(list, TagFromName.EchoTrainLength, "1");
        put(list, TagFromName.SliceThickness, fmt(spec.spacingMm()));
        put(list, TagFromName.SpacingBetweenSlices, fmt(spec.spacingMm()));
        put(list, TagFromName.PixelSpacing, fmt(spec.spacingMm()) + "\\" + fmt(spec.spacingMm()));
        double half = spec.matrix() * spec.spacingMm() / 2;
        double z = (index - spec.slices() / 2.0) * spec.spacingMm();
        put(list, TagFromName.ImagePositionPatient, fmt(-half) + "\\" + fmt(-half) + "\\" + fmt(z));
        put(list, TagFromName.ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
        put(list, TagFromName.SliceLocation, fmt(z));
        put(list, TagFromName.PositionReferenceIndicator, "");
        put(list, TagFromName.SamplesPerPixel, "1");
        put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(list, TagFromName.Rows, Integer.toString(spec.matrix()));
        put(list, TagFromName.Columns, Integer.toString(spec.matrix()));
        put(list, TagFromName.BitsAllocated, "16");
        put(list, TagFromName.BitsStored, "12");
        put(list, TagFromName.HighBit, "11");
        put(list, TagFromName.PixelRepresentation, "0");
        Attribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(ellipsoidSlice(spec, z));
        list.put(pixels);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "NEUROGATE_PH");
        return list;
    }

    /** A smooth head-like ellipsoid: bright rim, darker centre, zero outside. */
    private static short[] ellipsoidSlice(Spec spec, double zMm) {
        int n = spec.matrix();
        double a = n * spec.spacingMm() * 0.36;
        double b = n * spec.spacingMm() * 0.44;
        double c = Math.max(spec.slices() * spec.spacingMm() * 0.45, spec.spacingMm());
        short[] values = new short[n * n];
        for (int row = 0; row < n; row++) {
            double y = (row - n / 2.0 + 0.5) * spec.spacingMm();
            for (int col = 0; col < n; col++) {
                double x = (col - n / 2.0 + 0.5) * spec.spacingMm();
                double r = Math.sqrt(x * x / (a * a) + y * y / (b * b) + zMm * zMm / (c * c));
                double edge = 1 / (1 + Math.exp((r - 1) * 40));
                double intensity = edge * (1400 + 900 * r * r);
                values[row * n + col] = (short) Math.min(4095, Math.round(intensity));
            }
        }
        return values;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute a = AttributeList.getDictionary().getValueRepresentationFromTag(tag) == null
                ? null : com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        if (a == null) {
            throw new DicomException("no VR known for " + tag);
        }
        if (!value.isEmpty()) {
            a.addValue(value);
        }
        list.put(a);
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** {@code SyntheticMrSeries --out DIR [--series N] [--slices M] [--matrix K] [--seed S]} */
    public static void main(String[] args) throws IOException {
        Path out = null;
        int series = 1;
        int slices = 200;
        int matrix = 256;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--out" -> out = Path.of(require(value, "--out"));
                case "--series" -> series = Integer.parseInt(require(value, "--series"));
                case "--slices" -> slices = Integer.parseInt(require(value, "--slices"));
                case "--matrix" -> matrix = Integer.parseInt(require(value, "--matrix"));
                case "--seed" -> seed = Long.parseLong(require(value, "--seed"));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        if (out == null) {
            System.err.println("usage: SyntheticMrSeries --out DIR [--series N] [--slices M] [--matrix K] [--seed S]");
            System.exit(2);
        }
        int files = 0;
        for (int s = 0; s < series; s++) {
            files += write(new Spec(seed, s, slices, matrix, 1.0), out.resolve("series-" + (s + 1))).size();
        }
        System.out.println("Wrote " + files + " MR instances in " + series + " series to " + out);
    }

    private static String require(String value, String option) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
