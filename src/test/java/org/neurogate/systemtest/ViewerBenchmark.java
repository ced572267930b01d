package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * {@code ./neurogate bench viewer}: how long the viewer's pages and images take, median and p95 over
 * repeated requests after a warm-up, with 10,000 studies in the database. One real phantom study is
 * pushed and analysed (its report page and images are what is timed); 10,000 more studies with finished
 * analyses and flags are inserted by SQL for the worklist. Times are wall time of each request on
 * loopback, so they bound the server's time from above. A benchmark, not a test: it prints figures and
 * asserts nothing about them; it runs only with {@code -Dng.bench=viewer}.
 */
@EnabledIfSystemProperty(named = "ng.bench", matches = "viewer")
class ViewerBenchmark {

    private static final int STUDIES = 10_000;
    private static final int WARM_UP = 20;
    private static final int RUNS = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void viewerTimings() throws Exception {
        Path work = TestEnvironment.workDir("bench-viewer");
        int pgPort = TestEnvironment.freePort();
        try (EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pgdata"))
                .setCleanDataDirectory(false).setPort(pgPort).start();
             GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                     "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                     "QUARKUS_DATASOURCE_USERNAME", "postgres", "NEUROGATE_STUDY_STABLE_SECONDS", "2"))) {
            var truth = PhantomStudy.write(new Subject(4242, 70, Subject.Sex.M, Subject.Diagnosis.CN, 5, -3, 0, Vec3.ZERO, 5,
                    1, 12), new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                    AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), work.resolve("study"));
            String study = (String) truth.get("study_instance_uid");
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                    TestEnvironment.dicomFiles(work.resolve("study/dicom")));
            assertEquals(0, sent.exitCode(), sent.output());
            gateway.awaitApi("/api/studies/" + study + "/findings", f -> true, Duration.ofSeconds(240));
            long inserting = System.nanoTime();
            try (Connection c = database.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute(INSERT_STUDIES.formatted(STUDIES));
                s.execute("ANALYZE");
            }
            System.out.printf(Locale.ROOT, "%nInserted %,d studies (with series, finished analyses and flags) in %.1f s%n",
                    STUDIES, (System.nanoTime() - inserting) / 1e9);
            String base = "http://localhost:" + gateway.httpPort();
            String cookie = login(base);
            JsonNode keyImages = gateway.api("/api/studies/" + study + "/key-images");
            String keyImage = keyImages.get(0).path("url").asText();
            System.out.printf(Locale.ROOT, "Viewer benchmark: %d requests each after %d warm-up, %d cores%n", RUNS, WARM_UP,
                    Runtime.getRuntime().availableProcessors());
            report("worklist, first page of " + (STUDIES + 1) + " studies", base + "/viewer", cookie, 300);
            report("worklist, filtered by flag and sorted by state", base + "/viewer?flag=INFARCT&sort=STATE", cookie, 300);
            report("report page", base + "/viewer/studies/" + study, cookie, 300);
            report("key image PNG (" + keyImages.get(0).path("name").asText() + ")", base + keyImage, cookie, 100);
            report("slice PNG (scroller, T1 with overlay)", base + "/viewer/studies/" + study + "/slices/labels_t1/90.png",
                    cookie, 100);
        }
    }

    private static void report(String what, String url, String cookie, int targetMs) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            fetch(url, cookie);
        }
        double[] ms = new double[RUNS];
        long bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            bytes = fetch(url, cookie);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "  %-52s median %6.1f ms  p95 %6.1f ms  (target < %d ms; %,d bytes)%n", what,
                ms[RUNS / 2], ms[(int) Math.ceil(RUNS * 0.95) - 1], targetMs, bytes);
    }

    private static long fetch(String url, String cookie) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body().length;
    }

    private static String login(String base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=" + GatewayProcess.ADMIN_PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofString());
        String c = r.headers().allValues("set-cookie").stream().filter(v -> v.startsWith("neurogate-session=")).findFirst()
                .orElseThrow();
        return c.substring(0, c.indexOf(';'));
    }

    /** Patients, studies over ten years, 1-4 series each, a finished (one in 50 failed) job with flags. */
    private static final String INSERT_STUDIES = """
            INSERT INTO patient (patient_key, patient_id, issuer, patient_name, birth_date, sex)
            SELECT 'BENCH' || g || '|', 'BENCH' || g, NULL, 'BENCH^PATIENT' || g, '19500101', CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END
            FROM generate_series(1, %1$d) g;
            INSERT INTO study (study_instance_uid, patient_ref, study_date, accession_number, study_description)
            SELECT '2.25.9' || g, p.id, to_char(date '2016-01-01' + (g %% 3650), 'YYYYMMDD'), 'ACC' || g, 'MR BRAIN'
            FROM generate_series(1, %1$d) g JOIN patient p ON p.patient_key = 'BENCH' || g || '|';
            INSERT INTO series (series_instance_uid, study_ref, modality, series_number, series_description, state, instance_count)
            SELECT t.study_instance_uid || '.' || n, t.id, 'MR', n, 'series ' || n, 'COMPLETE', 100
            FROM study t CROSS JOIN generate_series(1, 4) n
            WHERE t.study_instance_uid LIKE '2.25.9%%' AND n <= 1 + (t.id %% 4);
            INSERT INTO analysis_job (study_ref, state, attempts, started_at, finished_at, infarct_ml, midline_shift_mm,
                                      hippocampus_min_z, brain_age_gap_years, not_assessed_count, findings)
            SELECT t.id, CASE WHEN t.id %% 50 = 0 THEN 'FAILED' ELSE 'DONE' END, 1, now(), now(),
                   CASE WHEN t.id %% 7 = 0 THEN (t.id %% 40) + 0.5 ELSE 0 END, (t.id %% 9) * 0.7,
                   ((t.id %% 13) - 8) * 0.4, ((t.id %% 11) - 5) * 1.3, t.id %% 3, '{}'::jsonb
            FROM study t WHERE t.study_instance_uid LIKE '2.25.9%%';
            """;
}
