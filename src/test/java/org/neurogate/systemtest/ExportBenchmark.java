package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.neurogate.phantoms.PhantomCohort;

/**
 * {@code ./neurogate bench export}: how long a research export takes. Ten phantom studies are pushed
 * and analysed for real; 990 more analysed studies (copies of the first one's findings, under other
 * patients and dates) are inserted by SQL, for 1,000 in all. Then, each three times (median): the
 * findings of all 1,000 as CSV and Parquet, by the CLI (its own time, and the process's); and the ten
 * real studies with their images (de-identified and defaced DICOM, SR, SEGs, NIfTI label maps), by the
 * API, zipped. Beside it, Debian's Orthanc de-identifies the same ten studies (its {@code /anonymize},
 * then the zip of each), when Orthanc is installed. A benchmark, not a test: it prints figures and
 * asserts nothing about them; it runs only with {@code -Dng.bench=export}.
 */
@EnabledIfSystemProperty(named = "ng.bench", matches = "export")
class ExportBenchmark {

    private static final int REAL = 10;
    private static final int STUDIES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exportTimings() throws Exception {
        Path work = TestEnvironment.workDir("bench-export");
        int pgPort = TestEnvironment.freePort();
        PhantomCohort.write(REAL, 707, work.resolve("cohort"));
        try (EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pgdata"))
                .setCleanDataDirectory(false).setPort(pgPort).start();
             GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                     "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                     "QUARKUS_DATASOURCE_USERNAME", "postgres", "NEUROGATE_STUDY_STABLE_SECONDS", "2"))) {
            List<Path> subjects = subjects(work.resolve("cohort"));
            for (Path subject : subjects) {
                Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                        TestEnvironment.dicomFiles(subject.resolve("dicom")));
                assertEquals(0, sent.exitCode(), sent.output());
            }
            for (Path subject : subjects) {
                String uid = JSON.readTree(subject.resolve("truth.json").toFile()).path("study_instance_uid").asText();
                gateway.awaitApi("/api/studies/" + uid + "/reports", r -> r.size() >= 5, Duration.ofSeconds(600));
            }
            try (Connection c = database.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute(COPY_STUDIES.formatted(STUDIES - REAL));
                s.execute("ANALYZE");
            }
            Map<String, String> cliEnv = Map.of("QUARKUS_DATASOURCE_JDBC_URL",
                    "jdbc:postgresql://localhost:" + pgPort + "/postgres", "QUARKUS_DATASOURCE_USERNAME", "postgres");
            System.out.printf(Locale.ROOT, "%nExport benchmark: %d analysed studies (%d analysed phantoms, %d copies), %d cores%n",
                    STUDIES, REAL, STUDIES - REAL, Runtime.getRuntime().availableProcessors());
            double[] own = new double[3];
            double[] process = new double[3];
            String line = "";
            for (int run = 0; run < 3; run++) {
                Path out = work.resolve("tables-" + run);
                long start = System.nanoTime();
                Dcmtk.Result r = gateway.cli(List.of("export", "--out", out.toString()), cliEnv);
                process[run] = (System.nanoTime() - start) / 1e9;
                assertEquals(0, r.exitCode(), r.output());
                line = r.output().lines().filter(l -> l.contains(" measurements in ")).findFirst().orElseThrow();
                own[run] = Double.parseDouble(line.replaceAll(".* measurements in ([0-9.]+) s.*", "$1"));
            }
            Path tables = work.resolve("tables-0");
            System.out.printf(Locale.ROOT, "  %-52s median %6.2f s (the export itself), %6.2f s (the CLI process)%n",
                    "findings of " + STUDIES + " studies, CSV + Parquet", median(own), median(process));
            System.out.printf(Locale.ROOT, "  %-52s %s; findings.csv %,d bytes, findings.parquet %,d bytes%n", "",
                    line.replaceAll(".*: (\\d+ subjects, \\d+ studies, \\d+ measurements).*", "$1"),
                    Files.size(tables.resolve("findings.csv")), Files.size(tables.resolve("findings.parquet")));

            double[] images = new double[3];
            long zipBytes = 0;
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> posted = gateway.send("POST", "/api/exports", "admin", GatewayProcess.ADMIN_PASSWORD,
                        "{\"since\": \"2000-01-01\", \"withImages\": true}");
                String id = JSON.readTree(posted.body()).path("id").asText();
                JsonNode state;
                do {
                    Thread.sleep(100);
                    state = gateway.api("/api/exports/" + id);
                } while (!Set.of("DONE", "FAILED").contains(state.path("state").asText()));
                assertEquals("DONE", state.path("state").asText(), state.toString());
                images[run] = (System.nanoTime() - start) / 1e9;
                zipBytes = gateway.send("GET", "/api/exports/" + id + "/archive", "admin", GatewayProcess.ADMIN_PASSWORD,
                        null).body().length;
            }
            System.out.printf(Locale.ROOT, "  %-52s median %6.2f s (%.2f s a study; zip %,d bytes)%n",
                    REAL + " studies with images, by the API, zipped", median(images), median(images) / REAL, zipBytes);
            orthanc(work, subjects);
        }
    }

    /** Orthanc on the same ten studies: /studies/{id}/anonymize, then each anonymised study's zip. */
    private static void orthanc(Path work, List<Path> subjects) throws Exception {
        Path binary = Path.of("/usr/sbin/Orthanc");
        if (!Files.isExecutable(binary)) {
            System.out.printf(Locale.ROOT, "  %-52s not installed (apt-get install orthanc)%n", "Orthanc");
            return;
        }
        int http = TestEnvironment.freePort();
        int dicom = TestEnvironment.freePort();
        Path dir = work.resolve("orthanc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("orthanc.json"), """
                {"Name": "bench", "StorageDirectory": "%s", "IndexDirectory": "%s", "HttpPort": %d, "DicomPort": %d,
                 "DicomAet": "ORTHANC", "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
                 "DicomCheckCalledAet": false, "StorageCompression": false, "Plugins": []}
                """.formatted(dir.resolve("storage"), dir.resolve("index"), http, dicom));
        Process orthanc = new ProcessBuilder(binary.toString(), dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://localhost:" + http;
        try {
            for (int i = 0; i < 120 && !ready(client, base); i++) {
                Thread.sleep(500);
            }
            for (Path subject : subjects) {
                Dcmtk.Result sent = Dcmtk.run(Dcmtk.storescuCommand("STORESCU", dicom, List.of("-aec", "ORTHANC"),
                        TestEnvironment.dicomFiles(subject.resolve("dicom"))));
                assertEquals(0, sent.exitCode(), sent.output());
            }
            JsonNode studies = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/studies")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            double[] runs = new double[3];
            long bytes = 0;
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                bytes = 0;
                for (JsonNode study : studies) {
                    HttpResponse<String> anonymised = client.send(HttpRequest.newBuilder(
                                    URI.create(base + "/studies/" + study.asText() + "/anonymize"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"Force\": true}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String id = JSON.readTree(anonymised.body()).path("ID").asText();
                    bytes += client.send(HttpRequest.newBuilder(URI.create(base + "/studies/" + id + "/archive")).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).body().length;
                }
                runs[run] = (System.nanoTime() - start) / 1e9;
            }
            System.out.printf(Locale.ROOT, "  %-52s median %6.2f s (%.2f s a study; zips %,d bytes; no tables, no defacing,"
                    + " new random UIDs at every call)%n", "Orthanc 1.10 /anonymize + /archive, same " + studies.size()
                    + " studies", median(runs), median(runs) / studies.size(), bytes);
        } finally {
            orthanc.destroy();
        }
    }

    private static boolean ready(HttpClient client, String base) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base + "/system")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static List<Path> subjects(Path cohort) throws Exception {
        try (Stream<Path> s = Files.list(cohort)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sub-")).sorted().toList();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Copies of the first analysed study: a patient, a study (dated 1990s, so "since 2000" selects the
     * phantoms only), a DONE job with the same findings document, and its finding rows.
     */
    private static final String COPY_STUDIES = """
            CREATE TEMP TABLE model_job AS SELECT id, findings FROM analysis_job WHERE state = 'DONE' ORDER BY id LIMIT 1;
            INSERT INTO patient (patient_key, patient_id, issuer, patient_name, birth_date, sex)
            SELECT 'BENCH' || g || '|', 'BENCH' || g, NULL, 'BENCH^PATIENT' || g, '19500101', CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END
            FROM generate_series(1, %1$d) g;
            INSERT INTO study (study_instance_uid, patient_ref, study_date, accession_number, study_description)
            SELECT '2.25.1000000000000000000000000000' || g, p.id, to_char(date '1990-01-01' + (g %% 3650), 'YYYYMMDD'),
                   'ACC' || g, 'BENCH COPY'
            FROM generate_series(1, %1$d) g JOIN patient p ON p.patient_key = 'BENCH' || g || '|';
            INSERT INTO analysis_job (study_ref, state, attempts, started_at, finished_at, findings)
            SELECT t.id, 'DONE', 1, now(), now(), (SELECT findings FROM model_job)
            FROM study t WHERE t.study_description = 'BENCH COPY';
            INSERT INTO finding (job_ref, study_ref, series_instance_uid, analysis, name, concept_scheme, concept_code,
                                 concept_meaning, value, unit, method, qc_flags)
            SELECT j.id, j.study_ref, f.series_instance_uid, f.analysis, f.name, f.concept_scheme, f.concept_code,
                   f.concept_meaning, f.value * (0.9 + (j.id %% 20) / 100.0), f.unit, f.method, f.qc_flags
            FROM analysis_job j JOIN study t ON t.id = j.study_ref AND t.study_description = 'BENCH COPY'
            CROSS JOIN finding f WHERE f.job_ref = (SELECT id FROM model_job);
            """;
}
