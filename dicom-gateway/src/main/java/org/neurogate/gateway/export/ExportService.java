package org.neurogate.gateway.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.persistence.ExportJobs;
import org.neurogate.persistence.ResearchCohort;

/**
 * Runs the exports the API queues, one at a time on their own thread, so a long export with images
 * never holds up ingest or analysis. Exports a stopped gateway left running are run again at start.
 * Each is written to {@code <data>/exports/<id>/} and zipped to {@code <data>/exports/<id>.zip}.
 */
@ApplicationScoped
public class ExportService {

    private static final Logger LOG = Logger.getLogger(ExportService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportJobs jobs;
    private final ResearchCohort cohort;
    private final StorageConfig storage;
    private final ExportConfig config;
    private final String version;
    private final ProcessConfig process;
    /** Read at start: the site secret is made (or its configuration checked) then, not at the first export. */
    private volatile ExportSettings settings;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "research-export");
        t.setDaemon(true);
        return t;
    });

    public ExportService(ExportJobs jobs, ResearchCohort cohort, StorageConfig storage, ExportConfig config,
                         @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version,
                         ProcessConfig process) {
        this.process = process;
        this.jobs = jobs;
        this.cohort = cohort;
        this.storage = storage;
        this.config = config;
        this.version = version;
    }

    void start(@Observes StartupEvent event) throws IOException {
        if (!process.runs(ProcessConfig.Role.WEB)) {
            return;
        }
        settings = ExportSettings.of(storage.dataDir(), config, version);
        if (org.neurogate.gateway.NeuroGateMain.embeddedDatabaseInUse()) {
            int requeued = jobs.requeueInterrupted();
            if (requeued > 0) {
                LOG.infof("Research export: %d interrupted export(s) queued again", requeued);
            }
        }
        runner.submit(this::drain);
    }

    void stop(@Observes ShutdownEvent event) {
        runner.shutdownNow();
    }

    /** Queues an export; answers its id. */
    public String submit(CohortQuery query, String user) throws IOException {
        String id = UUID.randomUUID().toString();
        jobs.create(id, JSON.writeValueAsString(query), user, "API", query.images());
        runner.submit(this::drain);
        return id;
    }

    /** The zip of a finished export. */
    public Path archive(String id) {
        return exportsDir().resolve(id + ".zip");
    }

    @Scheduled(every = "30s", delayed = "30s")
    void poll() {
        if (settings == null) {
            return; // not a web process
        }
        runner.submit(this::drain);
    }

    private void drain() {
        for (var job = jobs.claimNext(); job.isPresent(); job = jobs.claimNext()) {
            run(job.get());
        }
    }

    private void run(ExportJobs.ExportJob job) {
        Path dir = exportsDir().resolve(job.id());
        long start = System.nanoTime();
        try {
            CohortQuery query = JSON.readValue(job.cohortJson(), CohortQuery.class);
            ResearchExport.delete(dir);
            Files.deleteIfExists(archive(job.id()));
            ResearchExport export = new ResearchExport(settings, cohort);
            ResearchExport.Result result = export.run(job.id(), query, dir, (done, total) -> jobs.progress(job.id(), done, total));
            zip(dir, archive(job.id()));
            jobs.finish(job.id(), storage.dataDir().relativize(dir).toString(), new ExportJobs.AuditEntry(job.id(),
                    job.requestedBy(), job.via(), job.cohortJson(), result.subjects(), result.studies(),
                    result.measurements(), query.images(), result.manifestSha256(), null));
            LOG.infof("Research export %s: %d subjects, %d studies, %d measurements%s in %.1f s", job.id(),
                    result.subjects(), result.studies(), result.measurements(), query.images() ? " with images" : "",
                    (System.nanoTime() - start) / 1e9);
        } catch (Exception e) {
            // The message names files and attributes, never a patient.
            LOG.warnf("Research export %s failed: %s", job.id(), e.getMessage());
            jobs.fail(job.id(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private Path exportsDir() {
        return storage.dataDir().resolve("exports");
    }

    /** Zips the export folder; entries are relative to it, in sorted order. */
    static void zip(Path dir, Path zip) throws IOException {
        Path temp = zip.resolveSibling(zip.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream out = new ZipOutputStream(file);
             Stream<Path> all = Files.walk(dir)) {
            // The fastest deflate: most of an export with images is pixel data, which the best level
            // shrinks only a little more, at several times the time.
            out.setLevel(java.util.zip.Deflater.BEST_SPEED);
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(f).toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        Files.move(temp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
