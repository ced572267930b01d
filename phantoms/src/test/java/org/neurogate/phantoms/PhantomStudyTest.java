package org.neurogate.phantoms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.geometry.Vec3;
import org.neurogate.phantoms.nifti.Nifti1;

/** Whole studies as the CLI writes them: truth against label maps, determinism, dciodvfy, options. */
class PhantomStudyTest {

    @TempDir
    static Path dir;
    private static Path stroke;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void writeStrokeStudy() throws IOException {
        stroke = dir.resolve("stroke");
        Subject subject = new Subject(41, 72, Subject.Sex.F, Subject.Diagnosis.MCI, 8, -6, 4, new Vec3(3, -4, 2),
                5, 2, 18);
        PhantomStudy.write(subject, AcquisitionOptions.defaults(), stroke);
    }

    @Test
    void truthVolumesAreLabelCountsTimesVoxelVolume() throws Exception {
        JsonNode truth = JSON.readTree(stroke.resolve("truth.json").toFile());
        Nifti1.Volume t1 = Nifti1.read(stroke.resolve("truth/labels_t1.nii.gz"));
        double voxelMl = t1.grid().voxelVolumeMm3() / 1000;
        assertEquals(count(t1, v -> v == Tissue.HIPPOCAMPUS_LEFT.label) * voxelMl,
                truth.get("hippocampus_left_ml").asDouble(), 0.001);
        assertEquals(count(t1, v -> v == Tissue.HIPPOCAMPUS_RIGHT.label) * voxelMl,
                truth.get("hippocampus_right_ml").asDouble(), 0.001);
        assertEquals(count(t1, v -> v >= Tissue.CSF.label) * voxelMl, truth.get("icv_ml").asDouble(), 0.001);
        Nifti1.Volume lesion = Nifti1.read(stroke.resolve("truth/lesion_mask_dwi.nii.gz"));
        double dwiVoxelMl = lesion.grid().voxelVolumeMm3() / 1000;
        assertEquals(count(lesion, v -> v > 0) * dwiVoxelMl, truth.get("lesion_volume_ml").asDouble(), 0.001);
        assertEquals(count(lesion, v -> v == 1) * dwiVoxelMl, truth.get("lesion_core_volume_ml").asDouble(), 0.001);
        assertTrue(truth.get("lesion_volume_ml").asDouble() > 10, "two lesions of about 18 mL in all");
        assertEquals(2, truth.get("lesion_count").asInt());
        assertEquals(5.0, truth.get("midline_shift_mm").asDouble(), 1e-6);
        assertEquals(8.0, truth.get("msp_yaw_deg").asDouble());
        assertEquals(-6.0, truth.get("msp_roll_deg").asDouble());
        assertEquals("MCI", truth.get("diagnosis").asText());
        assertEquals("072Y", truth.get("patient_age").asText());
        assertEquals(4, truth.get("series").size());
        for (String field : List.of("age_years", "sex", "icv_ml", "hippocampus_left_ml", "lesion_core_volume_ml",
                "lesion_count", "midline_shift_mm", "msp_yaw_deg", "msp_roll_deg")) {
            assertTrue(truth.has(field), field);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherAnatomy() throws Exception {
        Path again = dir.resolve("stroke-again");
        Subject subject = new Subject(41, 72, Subject.Sex.F, Subject.Diagnosis.MCI, 8, -6, 4, new Vec3(3, -4, 2),
                5, 2, 18);
        PhantomStudy.write(subject, AcquisitionOptions.defaults(), again);
        List<Path> first = files(stroke);
        List<Path> second = files(again);
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(stroke.relativize(first.get(i)), again.relativize(second.get(i)));
            assertArrayEquals(Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)), first.get(i).toString());
        }
        Path other = dir.resolve("other");
        PhantomStudy.write(new Subject(43, 72, Subject.Sex.F, Subject.Diagnosis.MCI, 8, -6, 4, new Vec3(3, -4, 2),
                5, 2, 18), AcquisitionOptions.defaults(), other);
        JsonNode a = JSON.readTree(stroke.resolve("truth.json").toFile());
        JsonNode b = JSON.readTree(other.resolve("truth.json").toFile());
        assertNotEquals(a.get("icv_ml").asDouble(), b.get("icv_ml").asDouble());
        assertNotEquals(a.get("study_instance_uid").asText(), b.get("study_instance_uid").asText());
    }

    @Test
    void everyObjectPassesDciodvfy() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dciodvfy")), "dicom3tools' dciodvfy is not installed; skipping");
        List<Path> objects = new ArrayList<>(dicomFiles(stroke));
        Path enhanced = dir.resolve("enhanced");
        PhantomStudy.write(new Subject(44, 55, Subject.Sex.M, Subject.Diagnosis.CN, -12, 10, 0, Vec3.ZERO, -4, 1, 9),
                new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 6, true, AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN,
                        20), enhanced);
        objects.addAll(dicomFiles(enhanced));
        for (String[] variant : new String[][] {{"CORONAL", "1.2.840.10008.1.2"}, {"SAGITTAL", "1.2.840.10008.1.2.2"}}) {
            Path study = dir.resolve("ts-" + variant[1]);
            // Also thin slices with a gap and a displaced head, so every option is in the sample.
            PhantomStudy.write(new Subject(45, 58, Subject.Sex.M, Subject.Diagnosis.CN, 4, 2, -3, new Vec3(6, -5, 4),
                    0, 0, 0), new AcquisitionOptions(AcquisitionOptions.Plane.valueOf(variant[0]), 3, false, variant[1],
                    30, 3, 1), study);
            for (Path series : seriesDirectories(study)) {
                List<Path> files = dicomFiles(series);
                objects.add(files.get(0));
                objects.add(files.get(files.size() - 1));
            }
        }
        List<String> failures = new ArrayList<>();
        for (Path object : objects) {
            String report = run("dciodvfy", object.toString());
            if (report.lines().anyMatch(l -> l.startsWith("Error"))) {
                failures.add(object + ":\n" + report);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + objects.size() + " objects have errors:\n"
                + String.join("\n", failures.subList(0, Math.min(3, failures.size()))));
        assertTrue(objects.size() > 300);
    }

    @Test
    void deflatedObjectsAreValidOnceInflated() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dciodvfy")) && Files.isExecutable(Path.of("/usr/bin/dcmconv")),
                "dciodvfy or dcmconv missing; skipping");
        Path study = dir.resolve("deflate");
        PhantomStudy.write(PhantomFixtures.subject(46), new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0,
                false, "1.2.840.10008.1.2.1.99", 30), study);
        Path object = dicomFiles(seriesDirectories(study).get(1)).get(10);
        Path inflated = dir.resolve("inflated.dcm");
        run("dcmconv", "+te", object.toString(), inflated.toString());
        assertTrue(run("dcmdump", "+P", "0002,0010", object.toString()).contains("1.2.840.10008.1.2.1.99")
                || run("dcmdump", "+P", "0002,0010", object.toString()).contains("Deflated"));
        String report = run("dciodvfy", inflated.toString());
        assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), report);
    }

    @Test
    void cliWritesACohortAndRefusesBadOptions() throws Exception {
        Path cohort = dir.resolve("cohort");
        assertEquals(0, cli("--cohort", "2", "--out", cohort.toString(), "--seed", "9"));
        assertTrue(Files.isRegularFile(cohort.resolve("sub-001/truth.json")));
        assertTrue(Files.isRegularFile(cohort.resolve("sub-002/truth.json")));
        List<String> csv = Files.readAllLines(cohort.resolve("cohort.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("subject,seed,age_years,sex,diagnosis,icv_ml"));
        for (String row : csv.subList(1, csv.size())) {
            double icv = Double.parseDouble(row.split(",")[5]);
            assertTrue(icv > 1200 && icv < 1700, "cohort ICV " + icv);
        }

        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--frobnicate"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--age", "abc"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--lesion-volume-ml", "3"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--lesions", "0", "--lesion-volume-ml", "3"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--cohort", "3", "--age", "50"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--plane", "oblique"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--snr", "-1"));
        assertEquals(2, cli("--age", "50"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--translation-mm", "1,2"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--slice-thickness-mm", "0.5"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--from-nifti", "t1.nii.gz", "--lesions", "1"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--lesion-mask", "m.nii.gz"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--b-value", "800"));
    }

    /**
     * A DWI's description lists the b-values it holds, and an imported DWI carries the b-value of its
     * BIDS sidecar or of --b-value; without either it is refused rather than assumed to be b=1000.
     */
    @Test
    void diffusionSeriesSayWhichBValuesTheyHold() throws Exception {
        assertEquals("DWI ax b0 b1000 TRACEW", PhantomStudy.protocol(1, "20240101", SeriesRole.DWI, 3,
                AcquisitionOptions.Plane.AXIAL, new int[] {0, 1000}).seriesDescription());
        assertEquals("DWI ax b800 TRACEW", PhantomStudy.protocol(1, "20240101", SeriesRole.DWI, 3,
                AcquisitionOptions.Plane.AXIAL, new int[] {800}).seriesDescription());
        Path nifti = dir.resolve("b-value").resolve("dwi.nii.gz");
        Files.createDirectories(nifti.getParent());
        org.neurogate.phantoms.geometry.ImageGrid grid = PhantomStudy.grid(SeriesRole.DWI, AcquisitionOptions.defaults());
        Nifti1.writeLabels(nifti, grid, new byte[grid.voxelCount()]);
        Path out = dir.resolve("b-value").resolve("study");
        assertEquals(2, cli("--out", out.toString(), "--from-nifti", nifti.toString(), "--role", "dwi"));
        Files.writeString(nifti.resolveSibling("dwi.json"), "{\"DiffusionBValue\": 800.0}");
        assertEquals(0, cli("--out", out.toString(), "--from-nifti", nifti.toString(), "--role", "dwi"));
        JsonNode truth = new ObjectMapper().readTree(out.resolve("truth.json").toFile());
        assertEquals(800, truth.get("series").get(0).get("b_values").get(0).asInt(), truth.toString());
        assertEquals(2, cli("--out", out.toString(), "--from-nifti", nifti.toString(), "--role", "t1", "--b-value", "800"));
    }

    @Test
    void aFollowUpIsTheSameHeadAgedByTheIntervalInANewStudy() throws Exception {
        String[] who = {"--seed", "77", "--patient-id", "NG-FU-1", "--birth-date", "1952-03-14"};
        Path first = dir.resolve("fu-2022");
        Path second = dir.resolve("fu-2024");
        Path scaled = dir.resolve("fu-2024-scaled");
        assertEquals(0, cli(concat(who, "--out", first.toString(), "--study-date", "2022-05-02")));
        assertEquals(0, cli(concat(who, "--out", second.toString(), "--study-date", "2024-05-02")));
        assertEquals(0, cli(concat(who, "--out", scaled.toString(), "--study-date", "2024-05-02", "--head-scale", "1.05")));
        JsonNode a = JSON.readTree(first.resolve("truth.json").toFile());
        JsonNode b = JSON.readTree(second.resolve("truth.json").toFile());
        JsonNode c = JSON.readTree(scaled.resolve("truth.json").toFile());
        assertEquals("NG-FU-1", a.get("patient_id").asText());
        assertEquals(a.get("patient_id"), b.get("patient_id"));
        assertEquals("19520314", b.get("patient_birth_date").asText());
        assertEquals("20220502", a.get("study_date").asText());
        assertEquals("20240502", b.get("study_date").asText());
        assertNotEquals(a.get("study_instance_uid"), b.get("study_instance_uid"));
        assertEquals(2.0, b.get("age_years").asDouble() - a.get("age_years").asDouble(), 0.01);
        // The same head, two years older: the ICV holds, the hippocampi shrink, the ventricles grow.
        assertEquals(a.get("icv_ml").asDouble(), b.get("icv_ml").asDouble(), a.get("icv_ml").asDouble() * 0.005);
        assertTrue(b.get("hippocampus_left_ml").asDouble() < a.get("hippocampus_left_ml").asDouble());
        assertTrue(b.get("ventricles_ml").asDouble() > a.get("ventricles_ml").asDouble());
        double icvRatio = c.get("icv_ml").asDouble() / b.get("icv_ml").asDouble();
        assertEquals(Math.pow(1.05, 3), icvRatio, 0.02, "a 5 % larger head has a 16 % larger ICV");
        // One visit written twice is one study; the dates are the patient's, not the seed's.
        Path again = dir.resolve("fu-2022-again");
        assertEquals(0, cli(concat(who, "--out", again.toString(), "--study-date", "2022-05-02")));
        assertEquals(a.get("study_instance_uid"), JSON.readTree(again.resolve("truth.json").toFile()).get("study_instance_uid"));

        assertEquals(2, cli(concat(who, "--out", dir.resolve("x").toString(), "--age", "70")));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--study-date", "2024-13-40"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--birth-date", "2020-01-01", "--study-date", "2024-01-01"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--head-scale", "2"));
    }

    @Test
    void anIdentityFileFillsTheIdentifyingAttributesOfEveryObject() throws Exception {
        Path json = dir.resolve("identity.json");
        Files.writeString(json, """
                {"PatientName": "Zyx^Quorra^Mid", "PatientID": "ZQ-778899", "IssuerOfPatientID": "ZQ-HOSPITAL",
                 "PatientBirthDate": "19480229", "OtherPatientIDs": "ZQ-OTHER-1", "AccessionNumber": "ZQACC4411",
                 "InstitutionName": "Zyxquorra General", "InstitutionAddress": "1 Quorra Road, Zyxton",
                 "ReferringPhysicianName": "Refzyx^Ann", "PerformingPhysicianName": "Perfzyx^Bob",
                 "OperatorsName": "Opzyx^Cy", "StationName": "ZQSTATION7", "DeviceSerialNumber": "ZQSN-55",
                 "StudyDescription": "ZQ brain for trial", "SeriesDescription": "ZQ series text",
                 "StudyDate": "20240311", "PrivateCreator": "ZQ PRIVATE", "(0009,xx10)": "ZQ private value"}
                """);
        Path out = dir.resolve("identity");
        assertEquals(0, cli("--seed", "5", "--out", out.toString(), "--identity", json.toString()));
        JsonNode truth = JSON.readTree(out.resolve("truth.json").toFile());
        assertEquals("ZQ-778899", truth.get("patient_id").asText());
        assertEquals("19480229", truth.get("patient_birth_date").asText());
        assertEquals("20240311", truth.get("study_date").asText());
        List<Path> objects = dicomFiles(out);
        for (Path file : objects) {
            com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
            list.read(file.toFile(), com.pixelmed.dicom.TagFromName.PixelData);
            for (String[] expected : new String[][] {{"PatientName", "Zyx^Quorra^Mid"}, {"PatientID", "ZQ-778899"},
                {"InstitutionName", "Zyxquorra General"}, {"OperatorsName", "Opzyx^Cy"}, {"StudyDate", "20240311"},
                {"SeriesDescription", "ZQ series text"}, {"IssuerOfPatientID", "ZQ-HOSPITAL"}}) {
                assertEquals(expected[1], com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list,
                        com.pixelmed.dicom.DicomDictionary.StandardDictionary.getTagFromName(expected[0])),
                        expected[0] + " in " + file);
            }
            assertEquals("ZQ PRIVATE", com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list,
                    new com.pixelmed.dicom.AttributeTag(0x0009, 0x0010)));
            assertEquals("ZQ private value", com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list,
                    new com.pixelmed.dicom.AttributeTag(0x0009, 0x1010)));
        }
        // One object per series is enough for the IOD check: the attributes are the same in all.
        for (Path series : seriesDirectories(out)) {
            Path first = dicomFiles(series).get(0);
            Process p = new ProcessBuilder("dciodvfy", first.toString()).redirectErrorStream(true).start();
            String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), first + ":\n" + report);
        }

        Path bad = dir.resolve("bad-identity.json");
        Files.writeString(bad, "{\"PatientNmae\": \"x\"}");
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--identity", bad.toString()));
        Files.writeString(bad, "{\"(0009,xx10)\": \"no creator\"}");
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--identity", bad.toString()));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--identity", json.toString(), "--patient-id", "P"));
        assertEquals(2, cli("--out", dir.resolve("x").toString(), "--identity", dir.resolve("missing.json").toString()));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return PhantomCli.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    }

    private static long count(Nifti1.Volume volume, java.util.function.IntPredicate label) {
        long n = 0;
        for (float v : volume.voxels()) {
            if (label.test(Math.round(v))) {
                n++;
            }
        }
        return n;
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<Path> dicomFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static List<Path> seriesDirectories(Path study) throws IOException {
        try (Stream<Path> s = Files.list(study.resolve("dicom"))) {
            return s.sorted().toList();
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
