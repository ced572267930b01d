package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.Visit;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.dicom.IdentityOverrides;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Research export against the packaged gateway: three phantom studies of two patients, every
 * identifying attribute filled with a distinctive value, analysed after a real DCMTK push; then
 * exported by a researcher through the API and through the CLI. The exports hold no identifying value
 * in any byte (DICOM, CSV, Parquet, JSON, NIfTI), every DICOM object passes dciodvfy, references
 * resolve after UID remapping, the two studies of one patient keep their interval, re-exports are
 * identical, another secret changes everything, Parquet equals the CSV, the audit records each
 * export, and no endpoint shows the researcher an identified value.
 */
class ExportSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESEARCHER = "rita.researcher";
    private static final String RESEARCHER_PASSWORD = "researcher-password-1";

    /** Patient A: two visits 729 days apart; every identifying attribute distinctive, and a private one. */
    private static final Map<String, String> IDENTITY_A = identity("Zanzibar^Quilla", "ZQ-774411", "ZQ-ISSUER",
            "19471103", "OTHER-ZQ-55", "ACC99887766", "Hospital of Saint Zed", "Zed Street 9, Zedtown", "Quixote^Donatello",
            "Vexley^Ramona", "Oddfellow^Tamsin", "ZEDSTATION7", "SN-ZQ-31337", "ZQ study of the head",
            "ZQ private value 42");
    /** Patient B: another identity, and series that declare burned-in annotation. */
    private static final Map<String, String> IDENTITY_B = identity("Yarrowby^Percival", "YP-118822", "YP-ISSUER",
            "19520917", "OTHER-YP-66", "ACC55443322", "Clinic of Yonder", "Yonder Lane 4, Yville", "Umbridge^Dolores",
            "Wexford^Lionel", "Thistlewood^Adalbertha", "YONDERSTATION", "SN-YP-80085", "YP brain protocol",
            "YP private value 77");

    private static Path work;
    private static GatewayProcess gateway;
    private static final Map<String, JsonNode> truth = new LinkedHashMap<>();

    @BeforeAll
    static void analyseThreeStudies() throws Exception {
        work = TestEnvironment.workDir("export");
        gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env("NEUROGATE_STUDY_STABLE_SECONDS", "2"));
        phantom("a1", IDENTITY_A, LocalDate.of(2024, 3, 10), Subject.Sex.F, 1207, 1, Map.of());
        phantom("a2", IDENTITY_A, LocalDate.of(2026, 3, 8), Subject.Sex.F, 1207, 1, Map.of());
        phantom("b1", IDENTITY_B, LocalDate.of(2025, 6, 1), Subject.Sex.M, 3303, 0, Map.of("BurnedInAnnotation", "YES"));
        for (String name : truth.keySet()) {
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                    TestEnvironment.dicomFiles(work.resolve(name).resolve("dicom")));
            assertEquals(0, sent.exitCode(), sent.output());
        }
        for (JsonNode t : truth.values()) {
            gateway.awaitApi("/api/studies/" + t.path("study_instance_uid").asText() + "/reports",
                    r -> r.size() >= 5, java.time.Duration.ofSeconds(300));
        }
        HttpResponse<byte[]> created = gateway.send("POST", "/api/users", "admin", GatewayProcess.ADMIN_PASSWORD,
                JSON.writeValueAsString(Map.of("username", RESEARCHER, "password", RESEARCHER_PASSWORD,
                        "role", "researcher", "mustChangePassword", false)));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aResearcherExportsACohortWithoutAnyIdentifyingValue() throws Exception {
        // Through the API, with images, as the researcher.
        JsonNode started = researcherJson("POST", "/api/exports", "{\"withImages\": true}", 202);
        String id = started.path("id").asText();
        JsonNode done = awaitExport(id);
        assertEquals(3, done.path("progress").path("done").asInt(), done.toString());
        assertEquals(3, done.path("progress").path("total").asInt(), done.toString());
        HttpResponse<byte[]> zip = gateway.send("GET", "/api/exports/" + id + "/archive", RESEARCHER, RESEARCHER_PASSWORD,
                null);
        assertEquals(200, zip.statusCode());
        Path api = unzip(zip.body(), work.resolve("export-api"));
        // The audit trail: asked for, written and downloaded, each by the researcher.
        for (String event : List.of("export-requested", "export-written", "export-downloaded")) {
            JsonNode rows = AuditTrailSystemTest.awaitAudit(gateway, "event=" + event + "&object=" + id,
                    r -> r.size() >= 1);
            assertTrue(AuditTrailSystemTest.has(rows, RESEARCHER, 0), event + ": " + rows);
        }

        JsonNode manifest = JSON.readTree(api.resolve("manifest.json").toFile());
        assertEquals(id, manifest.path("export_id").asText());
        assertEquals(2, manifest.path("counts").path("subjects").asInt(), manifest.toString());
        assertEquals(3, manifest.path("counts").path("studies").asInt());
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("files").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            assertEquals(f.getValue().asText(), sha256(api.resolve(f.getKey())), "digest of " + f.getKey());
        }
        Set<String> codes = new HashSet<>();
        manifest.path("deidentification").path("options").forEach(o -> codes.add(o.path("code").asText()));
        assertTrue(codes.containsAll(Set.of("113100", "113107", "113108", "113105", "113102")), codes.toString());

        // Tables: Parquet holds exactly the CSV; the long table's columns are what the issue lists.
        for (String table : List.of("findings", "studies")) {
            assertParquetEqualsCsv(api.resolve(table + ".parquet"), api.resolve(table + ".csv"));
        }
        List<Map<String, String>> studies = csv(api.resolve("studies.csv"));
        assertEquals(3, studies.size());
        List<Map<String, String>> findings = csv(api.resolve("findings.csv"));
        assertTrue(findings.get(0).keySet().containsAll(List.of("subject_id", "study_uid", "study_date", "age_years", "sex",
                "concept_scheme", "concept_code", "concept_meaning", "value", "unit", "percentile", "z_score", "model_id",
                "model_version", "model_pack", "qc_flags")), findings.get(0).keySet().toString());
        assertTrue(findings.stream().anyMatch(r -> r.get("measurement").equals("hippocampus_left_ml")
                && !r.get("percentile").isEmpty()), "hippocampal volumes carry their percentile");
        List<String> dictionary = Files.readAllLines(api.resolve("data_dictionary.csv"));
        for (String column : findings.get(0).keySet()) {
            assertTrue(dictionary.stream().anyMatch(l -> l.startsWith("findings," + column + ",")), column);
        }

        // One patient, two studies: one pseudonym, the interval to the day, dates moved.
        Map<String, String> subjectOf = new HashMap<>();
        Map<String, LocalDate> dateOf = new HashMap<>();
        for (Map<String, String> s : studies) {
            subjectOf.put(s.get("study_uid"), s.get("subject_id"));
            dateOf.put(s.get("study_uid"), LocalDate.parse(s.get("study_date")));
        }
        List<Map<String, String>> patientA = studies.stream().filter(s -> s.get("sex").equals("F")).toList();
        assertEquals(2, patientA.size(), studies.toString());
        assertEquals(patientA.get(0).get("subject_id"), patientA.get(1).get("subject_id"));
        long interval = ChronoUnit.DAYS.between(LocalDate.parse(patientA.get(0).get("study_date")),
                LocalDate.parse(patientA.get(1).get("study_date")));
        assertEquals(ChronoUnit.DAYS.between(LocalDate.of(2024, 3, 10), LocalDate.of(2026, 3, 8)), interval);
        long shift = ChronoUnit.DAYS.between(LocalDate.of(2024, 3, 10), LocalDate.parse(patientA.get(0).get("study_date")));
        assertTrue(shift != 0 && Math.abs(shift) <= 365, "shift " + shift);

        // Not a single identifying value, in any file, in any common encoding.
        List<String> hits = phiHits(api);
        assertTrue(hits.isEmpty(), "identifying values in the export: " + hits);

        // DICOM: valid, de-identified, defaced, references resolving; B's burned-in series refused.
        List<Path> dicom = files(api.resolve("dicom"), ".dcm");
        Map<String, AttributeList> bySop = new HashMap<>();
        Set<String> referenced = new TreeSet<>();
        int defaced = 0;
        for (Path f : dicom) {
            AttributeList list = new AttributeList();
            list.read(f.toFile());
            String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            assertTrue(sop.startsWith("2.25."), sop);
            assertEquals(f.getFileName().toString(), sop + ".dcm");
            assertEquals("YES", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientIdentityRemoved));
            bySop.put(sop, list);
            String modality = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality);
            if (modality.equals("SR") || modality.equals("SEG")) {
                collectReferences(list, referenced);
            }
            if ("NO".equals(Attribute.getSingleStringValueOrEmptyString(list,
                    com.pixelmed.dicom.DicomDictionary.StandardDictionary.getTagFromName("RecognizableVisualFeatures")))) {
                defaced++;
            }
        }
        assertTrue(defaced >= 2 * 100, "both T1s of patient A defaced: " + defaced);
        List<String> dangling = referenced.stream().filter(uid -> !bySop.containsKey(uid))
                .filter(uid -> !isPatientBObject(uid, studies, subjectOf, bySop)).toList();
        assertTrue(dangling.isEmpty(), "references that do not resolve in the export: " + dangling.size());
        JsonNode skipped = manifest.path("deidentification").path("series_not_exported");
        assertTrue(skipped.size() >= 3 && stream(skipped).allMatch(s -> s.path("reason").asText().contains("BurnedIn")),
                skipped.toString());
        List<String> invalid = new ArrayList<>();
        for (Path f : dicom) {
            Dcmtk.run(List.of("dciodvfy", f.toString())).output().lines().filter(l -> l.startsWith("Error"))
                    .forEach(e -> invalid.add(f.getFileName() + ": " + e));
        }
        assertTrue(invalid.isEmpty(), invalid.stream().limit(20).toList().toString());
        for (Path nifti : files(api.resolve("labels"), ".nii.gz")) {
            byte[] header;
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(nifti))) {
                header = in.readNBytes(348);
            }
            for (int[] field : new int[][] {{148, 80}, {228, 24}, {328, 16}}) { // descrip, aux_file, intent_name
                for (int i = field[0]; i < field[0] + field[1]; i++) {
                    assertEquals(0, header[i], nifti.getFileName() + " header text at " + i);
                }
            }
        }

        // The CLI, same database, same secret: identical pseudonyms, UIDs and dates.
        Path cli = work.resolve("export-cli");
        Dcmtk.Result run = gateway.cli(List.of("export", "--with-images", "--out", cli.toString()), Map.of());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("3/3 studies"), run.output());
        assertEquals(Files.readString(api.resolve("findings.csv")), Files.readString(cli.resolve("findings.csv")));
        assertEquals(Files.readString(api.resolve("studies.csv")), Files.readString(cli.resolve("studies.csv")));
        assertEquals(relative(api.resolve("dicom")), relative(cli.resolve("dicom")), "the same remapped UIDs");
        JsonNode cliRows = AuditTrailSystemTest.awaitAudit(gateway, "event=export-written&user=cli:"
                + System.getProperty("user.name"), r -> r.size() >= 1);
        assertTrue(cliRows.get(0).path("detail").asText().startsWith("via CLI: 2 subjects, 3 studies"), cliRows.toString());

        // Another secret: other pseudonyms, UIDs and dates; the same intervals.
        Path other = work.resolve("export-other-secret");
        run = gateway.cli(List.of("export", "--out", other.toString()),
                Map.of("NEUROGATE_EXPORT_SECRET", "another site secret, for this test only"));
        assertEquals(0, run.exitCode(), run.output());
        List<Map<String, String>> otherStudies = csv(other.resolve("studies.csv"));
        for (Map<String, String> s : otherStudies) {
            assertFalse(subjectOf.containsValue(s.get("subject_id")), "pseudonym changes with the secret");
            assertFalse(subjectOf.containsKey(s.get("study_uid")), "UID changes with the secret");
        }
        List<Map<String, String>> otherA = otherStudies.stream().filter(s -> s.get("sex").equals("F")).toList();
        assertNotEquals(patientA.get(0).get("study_date"), otherA.get(0).get("study_date"));
        assertEquals(interval, ChronoUnit.DAYS.between(LocalDate.parse(otherA.get(0).get("study_date")),
                LocalDate.parse(otherA.get(1).get("study_date"))));

        // The audit: every export, who ran it, its counts and its manifest's digest; for admins only.
        JsonNode audit = JSON.readTree(gateway.send("GET", "/api/exports", "admin", GatewayProcess.ADMIN_PASSWORD, null)
                .body());
        JsonNode apiRow = stream(audit).filter(a -> a.path("exportId").asText().equals(id)).findFirst().orElseThrow();
        assertEquals(RESEARCHER, apiRow.path("username").asText());
        assertEquals(3, apiRow.path("studies").asInt());
        assertEquals(2, apiRow.path("subjects").asInt());
        assertEquals(sha256(api.resolve("manifest.json")), apiRow.path("manifestSha256").asText());
        assertTrue(stream(audit).filter(a -> a.path("via").asText().equals("CLI")).count() >= 2, audit.toString());
        assertEquals(403, gateway.send("GET", "/api/exports", RESEARCHER, RESEARCHER_PASSWORD, null).statusCode());

        // The site secret: generated, mode 0600, never in the log nor in an export.
        Path secret = gateway.dataDir().resolve("export-secret.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        String key = Files.readString(secret).strip();
        assertFalse(gateway.log().contains(key), "the secret is not logged");
        // UIDs are logged by design; names, IDs, dates and descriptions never.
        for (String value : identityValues()) {
            assertFalse(gateway.log().toUpperCase(Locale.ROOT).contains(value.toUpperCase(Locale.ROOT)),
                    "the gateway log names a patient: " + value);
        }
    }

    @Test
    void cohortsSelectByDateSexAnalysisAndThreshold() throws Exception {
        assertEquals(1, cliStudies("--since", "2026-01-01").size(), "since");
        assertEquals(2, cliStudies("--until", "2025-12-31").size(), "until");
        List<Map<String, String>> men = cliStudies("--sex", "M");
        assertEquals(1, men.size());
        assertEquals("M", men.get(0).get("sex"));
        assertEquals(2, cliStudies("--where", "lesion.total_volume_ml>3").size(), "patient A's infarcts");
        assertEquals(3, cliStudies("--analysis", "mci", "--where", "mci.hippocampus_left_ml.percentile<=100").size());
        assertEquals(0, cliStudies("--signed-only").size(), "nothing is signed yet");
        assertEquals(0, cliStudies("--model", "no-such-model").size());
        assertEquals(3, cliStudies("--model", "reference-tissue").size());

        // Bad cohorts are refused with the reason, by the CLI and the API.
        Dcmtk.Result bad = gateway.cli(List.of("export", "--out", work.resolve("bad").toString(), "--where", "mci<3"),
                Map.of());
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("a threshold is"), bad.output());
        for (String body : List.of("{\"since\": \"March\"}", "{\"sinse\": \"2026-01-01\"}",
                "{\"analyses\": [\"astrology\"]}", "not json")) {
            HttpResponse<byte[]> r = gateway.send("POST", "/api/exports", RESEARCHER, RESEARCHER_PASSWORD, body);
            assertEquals(400, r.statusCode(), body + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void noEndpointShowsTheResearcherAnIdentifiedValue() throws Exception {
        String study = truth.get("a1").path("study_instance_uid").asText();
        String id = researcherJson("POST", "/api/exports", "{}", 202).path("id").asText();
        awaitExport(id);
        JsonNode openapi = JSON.readTree(gateway.get("/q/openapi?format=json", false).body());
        List<String> paths = new ArrayList<>();
        openapi.path("paths").fieldNames().forEachRemaining(paths::add);
        paths.addAll(List.of("/viewer", "/viewer/studies/" + study, "/viewer/worklist"));
        assertTrue(paths.size() > 10, paths.toString());
        List<String> leaks = new ArrayList<>();
        for (String template : paths) {
            JsonNode operations = openapi.path("paths").path(template);
            if (!operations.isMissingNode() && !operations.has("get")) {
                continue;
            }
            String path = template.replaceAll("\\{(studyUid|studyInstanceUid|uid|study)\\}", study)
                    .replaceAll("\\{id\\}", id).replaceAll("\\{[^}]+\\}", "1");
            HttpResponse<byte[]> r = gateway.send("GET", path, RESEARCHER, RESEARCHER_PASSWORD, null);
            String body = new String(r.body(), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
            for (String value : phiValues()) {
                if (body.contains(value.toUpperCase(Locale.ROOT))) {
                    leaks.add(path + " (" + r.statusCode() + ") shows " + value);
                }
            }
            boolean open = gateway.send("GET", path, null, null, null).statusCode() == 200;
            // Every signed-in user has their exports and their own password form; nothing else.
            boolean ownAccount = path.equals("/account/password");
            if (r.statusCode() == 200 && !open && !path.startsWith("/api/exports") && !ownAccount) {
                leaks.add(path + " answers the researcher with 200");
            }
        }
        assertTrue(leaks.isEmpty(), leaks.toString());
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static Map<String, String> identity(String name, String id, String issuer, String birth, String otherId,
                                                String accession, String institution, String address, String referring,
                                                String performing, String operator, String station, String serial,
                                                String studyDescription, String privateValue) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PatientName", name);
        m.put("PatientID", id);
        m.put("IssuerOfPatientID", issuer);
        m.put("PatientBirthDate", birth);
        m.put("OtherPatientIDs", otherId);
        m.put("AccessionNumber", accession);
        m.put("InstitutionName", institution);
        m.put("InstitutionAddress", address);
        m.put("ReferringPhysicianName", referring);
        m.put("PerformingPhysicianName", performing);
        m.put("OperatorsName", operator);
        m.put("StationName", station);
        m.put("DeviceSerialNumber", serial);
        m.put("StudyDescription", studyDescription);
        m.put("PrivateCreator", "NEUROGATE TEST");
        m.put("(0009,xx10)", privateValue);
        return m;
    }

    /** Every distinctive identifying value of both patients (the private creator is not one). */
    private static List<String> identityValues() {
        List<String> out = new ArrayList<>();
        for (Map<String, String> identity : List.of(IDENTITY_A, IDENTITY_B)) {
            identity.forEach((k, v) -> {
                if (!k.equals("PrivateCreator")) {
                    out.add(v);
                }
            });
        }
        return out;
    }

    /** The identifying values and the original Study Instance UIDs. */
    private static List<String> phiValues() {
        List<String> out = new ArrayList<>(identityValues());
        for (JsonNode t : truth.values()) {
            out.add(t.path("study_instance_uid").asText());
        }
        return out;
    }

    private static void phantom(String name, Map<String, String> identity, LocalDate studyDate, Subject.Sex sex, long seed,
                                int lesions, Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>(identity);
        keys.putAll(extra);
        // A series description per study, so the analyses still tell T1, FLAIR and DWI apart by their other attributes.
        keys.put("SeriesDescription", identity.get("StudyDescription") + " series");
        IdentityOverrides overrides = IdentityOverrides.parse(JSON.valueToTree(keys));
        LocalDate birth = LocalDate.parse(identity.get("PatientBirthDate"), java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        Visit visit = new Visit(identity.get("PatientID"), birth, studyDate, overrides);
        Subject subject = new Subject(seed, Visit.ageYears(birth, studyDate), sex, Subject.Diagnosis.MCI, 3, -2, 1,
                Vec3.ZERO, 2, lesions, lesions > 0 ? 9 : 0);
        Path dir = work.resolve(name);
        PhantomStudy.write(subject, visit, new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), dir);
        truth.put(name, JSON.readTree(dir.resolve("truth.json").toFile()));
    }

    private static JsonNode researcherJson(String method, String path, String body, int expected) throws Exception {
        HttpResponse<byte[]> r = gateway.send(method, path, RESEARCHER, RESEARCHER_PASSWORD, body);
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private static JsonNode awaitExport(String id) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        JsonNode state;
        do {
            Thread.sleep(500);
            state = researcherJson("GET", "/api/exports/" + id, null, 200);
            assertNotEquals("FAILED", state.path("state").asText(), state.toString());
        } while (!state.path("state").asText().equals("DONE") && System.nanoTime() < deadline);
        assertEquals("DONE", state.path("state").asText(), state.toString());
        return state;
    }

    /** The studies table of a tables-only CLI export with these cohort options. */
    private static List<Map<String, String>> cliStudies(String... options) throws Exception {
        Path out = Files.createTempDirectory(work, "cohort");
        Files.delete(out);
        List<String> args = new ArrayList<>(List.of("export", "--out", out.toString()));
        args.addAll(List.of(options));
        Dcmtk.Result run = gateway.cli(args, Map.of());
        assertEquals(0, run.exitCode(), run.output());
        return csv(out.resolve("studies.csv"));
    }

    /** Searches every byte of every file (gzip and Parquet decoded too) for every value, in common encodings. */
    private static List<String> phiHits(Path root) throws Exception {
        List<String> hits = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String v : phiValues()) {
            values.add(v);
            if (v.contains("^")) {
                values.add(v.replace('^', ' '));
                values.addAll(List.of(v.split("\\^")));
            }
            if (v.matches("\\d{8}")) {
                values.add(v.substring(0, 4) + "-" + v.substring(4, 6) + "-" + v.substring(6));
            }
        }
        for (Path f : files(root, "")) {
            List<byte[]> contents = new ArrayList<>(List.of(Files.readAllBytes(f)));
            if (f.toString().endsWith(".gz")) {
                try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    contents.add(in.readAllBytes());
                }
            }
            if (f.toString().endsWith(".parquet")) {
                contents.add(parquetAsText(f).getBytes(StandardCharsets.UTF_8));
            }
            for (byte[] content : contents) {
                String latin = new String(content, StandardCharsets.ISO_8859_1);
                String lower = latin.toLowerCase(Locale.ROOT);
                for (String v : values) {
                    List<String> forms = List.of(v.toLowerCase(Locale.ROOT),
                            new String(v.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT),
                            new String(v.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT),
                            Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)).toLowerCase(Locale.ROOT),
                            java.net.URLEncoder.encode(v, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
                    for (String form : forms) {
                        // Short values would match pixel data by chance; the phantom's values are long.
                        if (v.length() >= 5 && contains(lower, form, v.matches("[0-9.-]+"))) {
                            hits.add(root.relativize(f) + ": " + v);
                        }
                    }
                }
            }
        }
        return hits;
    }

    /** Digits (dates, UIDs) count only where no digit or dot borders them. */
    private static boolean contains(String text, String value, boolean numeric) {
        for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
            int end = at + value.length();
            if (!numeric || ((at == 0 || !isNumeric(text.charAt(at - 1))) && (end >= text.length()
                    || !isNumeric(text.charAt(end))))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumeric(char c) {
        return Character.isDigit(c) || c == '.';
    }

    private static String parquetAsText(Path parquet) throws Exception {
        StringBuilder out = new StringBuilder();
        for (List<String> row : parquetRows(parquet)) {
            out.append(String.join(",", row)).append('\n');
        }
        return out.toString();
    }

    private static List<List<String>> parquetRows(Path parquet) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = duck.prepareStatement("SELECT * FROM read_parquet(?)")) {
            ps.setString(1, parquet.toString());
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<String> header = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    header.add(rs.getMetaData().getColumnName(i));
                }
                rows.add(header);
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v == null ? "" : v.toString());
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Parquet read back by DuckDB equals the CSV, row for row and cell for cell (numbers as numbers). */
    private static void assertParquetEqualsCsv(Path parquet, Path csv) throws Exception {
        List<List<String>> fromParquet = parquetRows(parquet);
        List<List<String>> fromCsv = csvRows(csv);
        assertEquals(fromCsv.size(), fromParquet.size(), "rows of " + parquet.getFileName());
        assertEquals(fromCsv.get(0), fromParquet.get(0), "columns of " + parquet.getFileName());
        for (int r = 1; r < fromCsv.size(); r++) {
            for (int c = 0; c < fromCsv.get(r).size(); c++) {
                String a = fromCsv.get(r).get(c);
                String b = fromParquet.get(r).get(c);
                boolean same = a.equals(b) || (a.matches("-?[0-9.E]+") && b.matches("-?[0-9.E]+")
                        && Double.parseDouble(a) == Double.parseDouble(b));
                assertTrue(same, parquet.getFileName() + " row " + r + " column " + fromCsv.get(0).get(c) + ": CSV "
                        + a + ", Parquet " + b);
            }
        }
    }

    private static List<Map<String, String>> csv(Path file) throws IOException {
        List<List<String>> rows = csvRows(file);
        List<Map<String, String>> out = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                m.put(rows.get(0).get(i), row.get(i));
            }
            out.add(m);
        }
        return out;
    }

    /** RFC 4180, written here so the test does not read the CSV the way the product writes it. */
    private static List<List<String>> csvRows(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        return rows;
    }

    /** Every Referenced SOP Instance UID in an SR or SEG, at any depth. */
    private static void collectReferences(AttributeList list, Set<String> out) {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute s) {
                for (Iterator<?> it = s.iterator(); it.hasNext(); ) {
                    collectReferences(((SequenceItem) it.next()).getAttributeList(), out);
                }
            } else if (a.getTag().equals(TagFromName.ReferencedSOPInstanceUID)) {
                out.add(a.getSingleStringValueOrEmptyString());
            }
        }
    }

    /** References from patient B's objects point at its source images, which were refused (burned-in annotation). */
    private static boolean isPatientBObject(String uid, List<Map<String, String>> studies, Map<String, String> subjectOf,
                                            Map<String, AttributeList> bySop) {
        String subjectB = studies.stream().filter(s -> s.get("sex").equals("M")).findFirst().orElseThrow().get("subject_id");
        for (AttributeList list : bySop.values()) {
            String study = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
            if (subjectB.equals(subjectOf.get(study))) {
                Set<String> refs = new HashSet<>();
                collectReferences(list, refs);
                if (refs.contains(uid)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path unzip(byte[] zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(dir), e.getName());
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        return dir;
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Set<String> relative(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path f : files(root, "")) {
            out.add(root.relativize(f).toString());
        }
        return out;
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
