package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.Visit;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * One phantom patient scanned twice, two years apart, then once more on a miscalibrated scanner
 * (head 5 % larger). At the PACS (DCMTK storescp) every study gets its SR, SEGs, PDF and key-image
 * series, all valid (dciodvfy) and readable by OHIF's parser (dcmjs); the follow-up's SR, PDF and
 * findings carry the annualised change with the prior study referenced, within 1 %/year of the
 * phantom's truth; the third study's ICV disagrees and no rates are reported.
 */
class LongitudinalSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate BIRTH = LocalDate.of(1950, 6, 1);

    @Test
    void aFollowUpReportsTheAnnualisedChangeSinceThePriorStudy() throws Exception {
        Path work = TestEnvironment.workDir("longitudinal");
        int pacsPort = TestEnvironment.freePort();
        Path pacsDir = work.resolve("pacs");
        Files.createDirectories(pacsDir);
        Process pacs = Dcmtk.start(List.of("storescp", "-aet", "PACS", "-uf", "-od", pacsDir.toString(),
                Integer.toString(pacsPort)), work.resolve("storescp.log"));
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_FORWARD_TO", "PACS@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2"))) {
            JsonNode first = phantom(work.resolve("visit-2022"), LocalDate.of(2022, 3, 10), 1.0);
            JsonNode second = phantom(work.resolve("visit-2024"), LocalDate.of(2024, 3, 9), 1.0);
            JsonNode third = phantom(work.resolve("visit-2025"), LocalDate.of(2025, 3, 12), 1.05);

            Map<String, List<Path>> atPacs1 = pushAndAwait(gateway, work.resolve("visit-2022"), first, pacsDir);
            JsonNode change1 = change(gateway, first);
            assertEquals("NO_PRIOR", change1.path("status").asText(), change1.toString());

            Map<String, List<Path>> atPacs2 = pushAndAwait(gateway, work.resolve("visit-2024"), second, pacsDir);
            JsonNode change2 = change(gateway, second);
            assertEquals("COMPARED", change2.path("status").asText(), change2.toString());
            assertEquals(first.path("study_instance_uid").asText(), change2.path("prior_study_instance_uid").asText());
            assertEquals(2.0, change2.path("interval_years").asDouble(), 0.01);

            // The annualised hippocampal loss against the phantom's own truth at the two ages.
            double years = second.path("age_years").asDouble() - first.path("age_years").asDouble();
            List<String> errors = new ArrayList<>();
            for (String side : List.of("left", "right")) {
                double then = first.path("hippocampus_" + side + "_ml").asDouble();
                double now = second.path("hippocampus_" + side + "_ml").asDouble();
                double truth = 100 * (now - then) / then / years;
                JsonNode measured = volume(change2, "hippocampus_" + side);
                double rate = measured.path("annualised_pct_per_year").asDouble();
                errors.add(String.format(Locale.ROOT, "%s: measured %+.2f %%/year, truth %+.2f", side, rate, truth));
                assertEquals(truth, rate, 1.0, "annualised " + side + " hippocampal change: " + errors);
            }
            System.out.println("Annualised hippocampal change on the phantom: " + errors);

            // The follow-up's SR carries the change and cites the prior study.
            Path sr2 = only(atPacs2, "SR");
            String dump = Dcmtk.run(List.of("dsrdump", "+Pl", sr2.toString())).output();
            assertTrue(dump.contains("Change since prior study"), dump);
            assertTrue(dump.contains("Annualized change since prior study"), dump);
            assertTrue(dump.contains(first.path("study_instance_uid").asText()), "the prior study's UID in the SR");
            AttributeList sr = new AttributeList();
            sr.read(sr2.toFile());
            assertTrue(sr.get(new com.pixelmed.dicom.AttributeTag(0x0040, 0xA385)) != null,
                    "Pertinent Other Evidence names the prior study");
            // And so does its PDF.
            String pdf = DicomFiles.pdfText(only(atPacs2, "PDF"));
            assertTrue(pdf.contains("Change since the prior study"), pdf);
            assertTrue(pdf.contains(first.path("study_instance_uid").asText()), pdf);
            String rateText = String.format(Locale.ROOT, "%+.2f %%/year",
                    volume(change2, "hippocampus_left").path("annualised_pct_per_year").asDouble());
            assertTrue(pdf.contains(rateText), rateText + " not in the PDF:\n" + pdf);
            assertTrue(pdf.contains("NG-LONG-1"), "the patient header");
            JsonNode rows = gateway.api("/api/studies/" + second.path("study_instance_uid").asText() + "/findings")
                    .path("measurements");
            assertTrue(stream(rows).anyMatch(r -> r.path("analysis").asText().equals("change")
                    && r.path("name").asText().equals("hippocampus_left_annualised_pct")), rows.toString());

            // And the web report.
            String page = gateway.get("/viewer/studies/" + second.path("study_instance_uid").asText(), true).body();
            assertTrue(page.contains("id=\"change-table\"") && page.contains(first.path("study_instance_uid").asText())
                    && page.contains(rateText), "the report page shows the change:\n" + page);

            // A head 5 % larger (16 % more ICV): another scanner, not atrophy; no rates.
            pushAndAwait(gateway, work.resolve("visit-2025"), third, pacsDir);
            JsonNode change3 = change(gateway, third);
            assertEquals("ICV_MISMATCH", change3.path("status").asText(), change3.toString());
            assertTrue(change3.path("icv_change_pct").asDouble() > 3, change3.toString());
            for (JsonNode v : change3.path("volumes")) {
                assertTrue(v.path("annualised_pct_per_year").isNull(), "no rate with a moved ICV: " + v);
            }
            String page3 = gateway.get("/viewer/studies/" + third.path("study_instance_uid").asText(), true).body();
            assertTrue(page3.contains("data-status=\"ICV_MISMATCH\"") && page3.contains("intracranial volume changed"),
                    page3);

            // Every object at the PACS is valid, and OHIF's parser reads the SR and the SEGs.
            for (Map<String, List<Path>> study : List.of(atPacs1, atPacs2)) {
                for (List<Path> files : study.values()) {
                    for (Path object : files) {
                        List<String> bad = Dcmtk.run(List.of("dciodvfy", object.toString())).output().lines()
                                .filter(l -> l.startsWith("Error")).toList();
                        assertTrue(bad.isEmpty(), object.getFileName() + ": " + bad);
                    }
                }
            }
            dcmjs(work.resolve("data"), atPacs2, work.resolve("visit-2024/dicom"));
        } finally {
            pacs.destroy();
        }
    }

    /** The second study through dcmjs: TID 1500 with regions on stored instances; each SEG on its source series. */
    private static void dcmjs(Path dataDir, Map<String, List<Path>> atPacs, Path source) throws Exception {
        JsonNode report = Dcmjs.check(only(atPacs, "SR"), atPacs.get("SEG"), source).path("reports").path(0);
        assertTrue(report.path("regions").size() >= 4, "lesion, two hippocampi, midline: " + report);
        // NeuroGate files each stored instance as instances/<study>/<series>/<sop>.dcm.
        Set<String> stored = new HashSet<>();
        try (Stream<Path> files = Files.walk(dataDir.resolve("instances").resolve(studyUid(only(atPacs, "SR"))))) {
            files.filter(f -> f.toString().endsWith(".dcm"))
                    .forEach(f -> stored.add(f.getFileName().toString().replaceFirst("\\.dcm$", "")));
        }
        for (JsonNode region : report.path("regions")) {
            assertTrue(stored.contains(region.path("sopInstanceUid").asText()),
                    "region on an instance NeuroGate stored: " + region + " not in " + stored.size() + " instances");
        }
    }

    /** One visit of the patient: the same seed (the same head), aged to the study date, with an MCI and a lesion. */
    private static JsonNode phantom(Path dir, LocalDate studyDate, double headScale) throws Exception {
        Visit visit = new Visit("NG-LONG-1", BIRTH, studyDate);
        Subject subject = new Subject(1207, Visit.ageYears(BIRTH, studyDate), Subject.Sex.F, Subject.Diagnosis.MCI, 4, -3, 2,
                Vec3.ZERO, 3, 1, 10, headScale);
        PhantomStudy.write(subject, visit, new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), dir);
        return JSON.readTree(dir.resolve("truth.json").toFile());
    }

    /** Pushes a study and waits until its SR, 4 SEGs, PDF and key images are at the PACS; by kind. */
    private static Map<String, List<Path>> pushAndAwait(GatewayProcess gateway, Path study, JsonNode truth, Path pacsDir)
            throws Exception {
        Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                TestEnvironment.dicomFiles(study.resolve("dicom")));
        assertEquals(0, sent.exitCode(), sent.output());
        String uid = truth.path("study_instance_uid").asText();
        JsonNode reports = gateway.awaitApi("/api/studies/" + uid + "/reports", r -> r.size() >= 8 && stream(r)
                .allMatch(o -> o.path("deliveries").size() == 1
                        && "SENT".equals(o.path("deliveries").path(0).path("state").asText())), Duration.ofSeconds(300));
        Map<String, List<Path>> byKind = new TreeMap<>();
        Set<String> sops = new HashSet<>();
        for (JsonNode r : reports) {
            sops.add(r.path("sopInstanceUid").asText());
        }
        Thread.sleep(500);
        try (Stream<Path> files = Files.list(pacsDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                AttributeList list = new AttributeList();
                list.read(f.toFile(), TagFromName.PixelData);
                if (sops.contains(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID))) {
                    String modality = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality);
                    String kind = switch (modality) {
                        case "SR", "SEG" -> modality;
                        case "DOC" -> "PDF";
                        default -> "KEY_IMAGES";
                    };
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(f);
                }
            }
        }
        assertEquals(1, byKind.getOrDefault("SR", List.of()).size(), "one SR: " + byKind);
        assertEquals(4, byKind.getOrDefault("SEG", List.of()).size(), "infarct, core, structures, ICV: " + byKind);
        assertEquals(1, byKind.getOrDefault("PDF", List.of()).size(), "one PDF: " + byKind);
        assertTrue(byKind.getOrDefault("KEY_IMAGES", List.of()).size() >= 3, "key images: " + byKind);
        return byKind;
    }

    private static JsonNode change(GatewayProcess gateway, JsonNode truth) throws Exception {
        return gateway.api("/api/studies/" + truth.path("study_instance_uid").asText() + "/findings")
                .path("findings").path("change");
    }

    private static JsonNode volume(JsonNode change, String name) {
        return stream(change.path("volumes")).filter(v -> v.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + change));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private static Path only(Map<String, List<Path>> byKind, String kind) {
        List<Path> files = byKind.get(kind);
        assertEquals(1, files.size(), kind + ": " + files);
        return files.get(0);
    }

    private static String studyUid(Path object) throws Exception {
        AttributeList list = new AttributeList();
        list.read(object.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
    }
}
