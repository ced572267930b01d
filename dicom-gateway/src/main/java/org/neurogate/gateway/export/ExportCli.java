package org.neurogate.gateway.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.neurogate.gateway.EarlySettings;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.EmbeddedDatabase;
import org.neurogate.persistence.ExportJobs;
import org.neurogate.persistence.ResearchCohort;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code ./neurogate export}: a research export from the command line, against the gateway's own
 * database: the external one when QUARKUS_DATASOURCE_JDBC_URL is set, else the embedded cluster in
 * {@code <data>/pgdata}, whether a running gateway holds it (its port is read from the cluster's
 * {@code postmaster.pid}) or not (then it is started for the export). The export is audited like an
 * API export, with the operating-system user as its requester.
 */
public final class ExportCli {

    static final String USAGE = """
            usage: ./neurogate export --out DIR [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--analysis A]...
                                      [--not-assessed A]... [--sex F|M] [--min-age Y] [--max-age Y] [--signed-only]
                                      [--model ID[:VERSION]] [--where 'analysis.measurement[.percentile|.z]<N']...
                                      [--with-images] [--allow-burned-in-annotation]
              analyses: lesion, wmh, midline, brain_age, mci, change""";

    private ExportCli() {
    }

    /** @return the process exit status: 0 done, 1 failed, 2 bad arguments */
    public static int run(String... args) {
        Path out = null;
        String since = null;
        String until = null;
        String sex = null;
        String model = null;
        Double minAge = null;
        Double maxAge = null;
        boolean signed = false;
        boolean images = false;
        boolean burnedIn = false;
        List<String> analyses = new ArrayList<>();
        List<String> notAssessed = new ArrayList<>();
        List<String> where = new ArrayList<>();
        CohortQuery query;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--since" -> since = value(args, ++i, a);
                    case "--until" -> until = value(args, ++i, a);
                    case "--analysis" -> analyses.add(value(args, ++i, a));
                    case "--not-assessed" -> notAssessed.add(value(args, ++i, a));
                    case "--sex" -> sex = value(args, ++i, a);
                    case "--min-age" -> minAge = Double.parseDouble(value(args, ++i, a));
                    case "--max-age" -> maxAge = Double.parseDouble(value(args, ++i, a));
                    case "--signed-only" -> signed = true;
                    case "--model" -> model = value(args, ++i, a);
                    case "--where" -> where.add(value(args, ++i, a));
                    case "--with-images" -> images = true;
                    case "--allow-burned-in-annotation" -> burnedIn = true;
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out DIR is required");
            }
            String modelId = model == null ? null : model.split(":", 2)[0];
            String modelVersion = model == null || !model.contains(":") ? null : model.split(":", 2)[1];
            query = new CohortQuery(since, until, analyses, notAssessed, sex, minAge, maxAge, signed ? true : null, modelId,
                    modelVersion, where, images ? true : null, burnedIn ? true : null).validated();
        } catch (IllegalArgumentException e) {
            System.err.println("neurogate export: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        Path dataDir = Path.of(EarlySettings.get("neurogate.data-dir").orElse("data")).toAbsolutePath();
        EmbeddedDatabase started = null;
        try {
            if (Files.isDirectory(out) && isEmpty(out)) {
                Files.delete(out);
            } else if (Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists and is not empty");
            }
            Optional<String> url = EarlySettings.get("quarkus.datasource.jdbc.url");
            PGSimpleDataSource ds = new PGSimpleDataSource();
            if (url.isPresent()) {
                ds.setURL(url.get());
                EarlySettings.get("quarkus.datasource.username").ifPresent(ds::setUser);
                EarlySettings.get("quarkus.datasource.password").ifPresent(ds::setPassword);
            } else {
                Path cluster = dataDir.resolve("pgdata");
                Optional<EmbeddedDatabase.Login> running = EmbeddedDatabase.loginToRunning(cluster);
                if (running.isEmpty()) {
                    started = EmbeddedDatabase.start(cluster, 0, EarlySettings.embeddedDatabaseBinaries());
                }
                EmbeddedDatabase.Login login = running.isPresent() ? running.get() : started.login();
                ds.setURL(login.jdbcUrl());
                ds.setUser(login.username());
                ds.setPassword(login.password());
            }
            return export(ds, dataDir, query, out);
        } catch (Exception e) {
            System.err.println("neurogate export failed: " + e.getMessage());
            if (EarlySettings.get("neurogate.export.trace").isPresent()) {
                e.printStackTrace();
            }
            return 1;
        } finally {
            if (started != null) {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // The export's outcome is already printed.
                }
            }
        }
    }

    private static int export(DataSource ds, Path dataDir, CohortQuery query, Path out) throws Exception {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        AnalysisQueue queue = new AnalysisQueue(ds);
        ExportJobs jobs = new ExportJobs(queue);
        String id = UUID.randomUUID().toString();
        String user = "cli:" + System.getProperty("user.name", "unknown");
        String cohortJson = new ObjectMapper().writeValueAsString(query);
        jobs.create(id, cohortJson, user, "CLI", query.images());
        String version = ExportCli.class.getPackage().getImplementationVersion();
        ExportSettings settings = ExportSettings.fromEnvironment(dataDir, version == null ? "0.1.0" : version);
        long start = System.nanoTime();
        try {
            ResearchExport.Result result = new ResearchExport(settings, new ResearchCohort(queue, ds)).run(id, query,
                    out.toAbsolutePath(), (done, total) -> {
                        System.err.printf("export %s: %d/%d studies%n", id, done, total);
                        jobs.progress(id, done, total);
                    });
            jobs.finish(id, out.toAbsolutePath().toString(), new ExportJobs.AuditEntry(id, user, "CLI", cohortJson,
                    result.subjects(), result.studies(), result.measurements(), query.images(), result.manifestSha256(),
                    null));
            System.out.printf("export %s: %d subjects, %d studies, %d measurements in %.2f s -> %s (manifest sha256 %s)%n",
                    id, result.subjects(), result.studies(), result.measurements(), (System.nanoTime() - start) / 1e9,
                    out, result.manifestSha256());
            return 0;
        } catch (Exception e) {
            jobs.fail(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static boolean isEmpty(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
