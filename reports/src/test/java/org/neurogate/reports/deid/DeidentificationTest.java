package org.neurogate.reports.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.Visit;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.dicom.IdentityOverrides;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * A phantom study with a distinctive value in every identifying attribute, de-identified: no value is
 * left in any byte, the dates move by the patient's keyed offset, UIDs are keyed 2.25 UIDs, the
 * result is valid DICOM; and defacing zeroes the face while leaving every intracranial voxel as it was.
 */
class DeidentificationTest {

    private static final byte[] SECRET = "a test site secret of 32 bytes!!".getBytes(StandardCharsets.US_ASCII);
    static final List<String> PHI = List.of("Zanzibar^Quilla", "ZQ-774411", "Hospital of Saint Zed", "19471103",
            "ACC99887766", "Quixote^Don", "Vexley^Ramona", "Oddfellow^Tamsin", "ZEDSTATION7", "SN-ZQ-31337",
            "ZQ study of the head", "ZQ sagittal series", "OTHER-ZQ-55", "Zed Street 9, Zedtown", "ZQ-SECRET-PRIVATE",
            "ZQ-ISSUER");

    @TempDir
    static Path dir;
    private static Path study;

    @BeforeAll
    static void phantom() throws Exception {
        String identity = """
                {"PatientName": "Zanzibar^Quilla", "PatientID": "ZQ-774411", "IssuerOfPatientID": "ZQ-ISSUER",
                 "PatientBirthDate": "19471103", "OtherPatientIDs": "OTHER-ZQ-55", "AccessionNumber": "ACC99887766",
                 "InstitutionName": "Hospital of Saint Zed", "InstitutionAddress": "Zed Street 9, Zedtown",
                 "ReferringPhysicianName": "Quixote^Don", "PerformingPhysicianName": "Vexley^Ramona",
                 "OperatorsName": "Oddfellow^Tamsin", "StationName": "ZEDSTATION7", "DeviceSerialNumber": "SN-ZQ-31337",
                 "StudyDescription": "ZQ study of the head", "SeriesDescription": "ZQ sagittal series",
                 "StudyDate": "20250304", "PrivateCreator": "ZQ PRIVATE", "(0009,xx10)": "ZQ-SECRET-PRIVATE"}""";
        IdentityOverrides overrides = IdentityOverrides.parse(new ObjectMapper().readTree(identity));
        Visit visit = new Visit("ZQ-774411", LocalDate.of(1947, 11, 3), LocalDate.of(2025, 3, 4), overrides);
        study = dir.resolve("study");
        PhantomStudy.write(new Subject(77, Visit.ageYears(visit.birthDate(), visit.studyDate()), Subject.Sex.F,
                        Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 0, 0), visit,
                new AcquisitionOptions(AcquisitionOptions.Plane.SAGITTAL, 0, false, AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN,
                        30), study);
    }

    @Test
    void noIdentifyingValueSurvivesAndTheObjectsStayValid() throws Exception {
        Pseudonyms pseudonyms = new Pseudonyms(SECRET, 365);
        DicomDeidentifier deidentifier = new DicomDeidentifier(pseudonyms, new DeidentificationProfile(List.of(), 4));
        List<Path> sources = dicomFiles(study.resolve("dicom"));
        AttributeList first = read(sources.get(0));
        assertTrue(first.get(TagFromName.PatientName).getSingleStringValueOrEmptyString().contains("Zanzibar"),
                "the phantom carries the identity");
        Path out = Files.createDirectories(dir.resolve("deidentified"));
        Set<String> uids = new HashSet<>();
        int n = 0;
        for (Path source : sources.subList(0, 3)) {
            AttributeList list = read(source);
            String originalSop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            deidentifier.deidentify(list, false);
            String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            assertEquals(pseudonyms.uid(originalSop), sop);
            assertTrue(sop.startsWith("2.25.") && sop.length() <= 64, sop);
            uids.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID));
            assertEquals(pseudonyms.subject("ZQ-774411", "ZQ-ISSUER"),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID));
            assertEquals("YES", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientIdentityRemoved));
            assertEquals(Pseudonyms.shiftDate("20250304", pseudonyms.dateShiftDays("ZQ-774411", "ZQ-ISSUER")),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDate));
            assertEquals("F", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientSex),
                    "patient characteristics are kept");
            SequenceAttribute codes = (SequenceAttribute) list.get(TagFromName.DeidentificationMethodCodeSequence);
            assertEquals(5, codes.getNumberOfItems());
            Path file = out.resolve("img" + (n++) + ".dcm");
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "NEUROGATE");
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            assertNoDciodvfyErrors(file);
            assertNoPhi(file);
        }
        assertEquals(1, uids.size(), "one study UID for the whole study");
    }

    @Test
    void pseudonymsAreKeyedStableAndKeepIntervals() {
        Pseudonyms a = new Pseudonyms(SECRET, 365);
        Pseudonyms again = new Pseudonyms(SECRET.clone(), 365);
        Pseudonyms other = new Pseudonyms("another secret, also 32 bytes...".getBytes(StandardCharsets.US_ASCII), 365);
        assertEquals(a.subject("P1", "ISS"), again.subject("P1", "ISS"));
        assertEquals(a.uid("1.2.3.4"), again.uid("1.2.3.4"));
        assertNotEquals(a.subject("P1", "ISS"), other.subject("P1", "ISS"));
        assertNotEquals(a.uid("1.2.3.4"), other.uid("1.2.3.4"));
        assertNotEquals(a.subject("P1", "ISS"), a.subject("P1", "OTHER"), "the issuer is part of the identity");
        assertTrue(a.subject("P1", "ISS").matches("NG[0-9A-HJKMNP-TV-Z]{10}"), a.subject("P1", "ISS"));
        Set<Integer> shifts = new HashSet<>();
        for (int p = 0; p < 2000; p++) {
            int shift = a.dateShiftDays("P" + p, "");
            assertTrue(shift != 0 && Math.abs(shift) <= 365, "shift " + shift);
            shifts.add(shift);
        }
        assertTrue(shifts.size() > 500, "offsets spread over the range: " + shifts.size());
        int shift = a.dateShiftDays("P1", "ISS");
        LocalDate first = Pseudonyms.parseDate(Pseudonyms.shiftDate("20220310", shift));
        LocalDate second = Pseudonyms.parseDate(Pseudonyms.shiftDate("20240309", shift));
        assertEquals(730, java.time.temporal.ChronoUnit.DAYS.between(first, second), "the interval survives to the day");
    }

    @Test
    void defacingZeroesTheFaceAndLeavesTheBrain() throws Exception {
        Volume truth = NiftiFile.read(study.resolve("truth").resolve("labels_t1.nii.gz"));
        Set<Integer> intracranial = new HashSet<>();
        for (Tissue t : Tissue.ALL) {
            if (t.intracranial()) {
                intracranial.add(t.label);
            }
        }
        float[] mask = new float[truth.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = intracranial.contains(Math.round(truth.voxels()[i])) ? 1 : 0;
        }
        double margin = 4;
        Defacer.FacePlane plane = Defacer.plane(truth.withVoxels(mask), margin);
        // The face as the test sees it, independently of the plane: head voxels ahead of and below the brain,
        // further along the anterior-inferior diagonal than any intracranial voxel plus the margin and 3 mm.
        double reach = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < truth.nz(); k++) {
            for (int j = 0; j < truth.ny(); j++) {
                for (int i = 0; i < truth.nx(); i++) {
                    if (mask[truth.index(i, j, k)] > 0) {
                        double[] p = truth.voxelToPatient(i, j, k);
                        reach = Math.max(reach, (-p[1] - p[2]) / Math.sqrt(2));
                    }
                }
            }
        }
        long faceBefore = 0;
        long faceAfter = 0;
        long brainChanged = 0;
        long brainPixels = 0;
        for (Path file : dicomFiles(study.resolve("dicom").resolve(t1Folder()))) {
            AttributeList before = read(file);
            AttributeList after = read(file);
            Defacer.deface(after, plane);
            short[] b = before.getPixelData().getShortValues();
            short[] a = after.getPixelData().getShortValues();
            double[] ipp = before.get(TagFromName.ImagePositionPatient).getDoubleValues();
            double[] iop = before.get(TagFromName.ImageOrientationPatient).getDoubleValues();
            double[] spacing = before.get(TagFromName.PixelSpacing).getDoubleValues();
            int rows = before.get(TagFromName.Rows).getSingleIntegerValueOrDefault(0);
            int columns = before.get(TagFromName.Columns).getSingleIntegerValueOrDefault(0);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    double x = ipp[0] + c * spacing[1] * iop[0] + r * spacing[0] * iop[3];
                    double y = ipp[1] + c * spacing[1] * iop[1] + r * spacing[0] * iop[4];
                    double z = ipp[2] + c * spacing[1] * iop[2] + r * spacing[0] * iop[5];
                    double[] v = truth.patientToVoxel(x, y, z);
                    int i = (int) Math.round(v[0]);
                    int j = (int) Math.round(v[1]);
                    int k = (int) Math.round(v[2]);
                    if (i < 0 || j < 0 || k < 0 || i >= truth.nx() || j >= truth.ny() || k >= truth.nz()) {
                        continue;
                    }
                    int label = Math.round(truth.get(i, j, k));
                    int index = r * columns + c;
                    if (intracranial.contains(label)) {
                        brainPixels++;
                        if (a[index] != b[index]) {
                            brainChanged++;
                        }
                    } else if (label != 0 && (-y - z) / Math.sqrt(2) > reach + margin + 3) {
                        if (b[index] != 0) {
                            faceBefore++;
                        }
                        if (a[index] != 0) {
                            faceAfter++;
                        }
                    }
                }
            }
        }
        System.out.printf("Defacing phantom: %d face voxels with signal before, %d after; %d of %d intracranial voxels changed%n",
                faceBefore, faceAfter, brainChanged, brainPixels);
        assertTrue(brainPixels > 100_000, "the check saw the brain: " + brainPixels);
        assertTrue(faceBefore > 1000, "the phantom has a face to remove: " + faceBefore);
        assertEquals(0, faceAfter, "face voxels left");
        assertEquals(0, brainChanged, "intracranial voxels changed");
    }

    private static String t1Folder() throws Exception {
        try (Stream<Path> s = Files.list(study.resolve("dicom"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.toLowerCase().contains("t1")).findFirst()
                    .orElseThrow();
        }
    }

    static void assertNoPhi(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
        List<String> hits = new ArrayList<>();
        for (String value : PHI) {
            for (String form : List.of(value, value.replace('^', ' '), value.split("\\^")[0])) {
                if (form.length() >= 4 && latin.contains(form.toUpperCase(java.util.Locale.ROOT))) {
                    hits.add(form);
                }
            }
        }
        assertTrue(hits.isEmpty(), file.getFileName() + " still holds " + hits);
    }

    private static void assertNoDciodvfyErrors(Path file) throws Exception {
        Process p = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<String> errors = output.lines().filter(l -> l.startsWith("Error")).toList();
        assertTrue(errors.isEmpty(), file.getFileName() + ": " + errors + "\n" + output);
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        return list;
    }

    private static List<Path> dicomFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }
}
