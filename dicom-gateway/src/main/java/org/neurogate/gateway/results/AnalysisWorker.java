package org.neurogate.gateway.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.analysis.ModelCatalog;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.reports.Equipment;
import org.neurogate.reports.SourceSeries;
import org.neurogate.reports.StudyReport;
import org.neurogate.reports.render.KeyImages;
import org.neurogate.gateway.web.ViewerStudy;

/**
 * Runs queued analyses: claims a study whose series have all arrived, runs the four analyses, writes
 * the SEGs and the SR durably under {@code <data>/reports/<study>/}, and records findings, reports
 * and delivery rows in the transaction that marks the job DONE. A failure marks the job FAILED with
 * its reason; a crash leaves the job's lease to expire and another worker (or the restarted gateway)
 * takes it again, producing the same UIDs, so a study never gets two reports.
 */
@ApplicationScoped
public class AnalysisWorker {

    private static final Logger LOG = Logger.getLogger(AnalysisWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final AnalysisQueue queue;
    private final ModelCatalog models;
    private final ResultsConfig config;
    private final StorageConfig storage;
    private final GatewayMetrics metrics;
    private final String version;
    private ScheduledExecutorService threads;
    private volatile boolean running;

    public AnalysisWorker(AnalysisQueue queue, ModelCatalog models, ResultsConfig config, StorageConfig storage,
                          GatewayMetrics metrics, @org.eclipse.microprofile.config.inject.ConfigProperty(
                                  name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.queue = queue;
        this.models = models;
        this.config = config;
        this.storage = storage;
        this.metrics = metrics;
        this.version = version;
    }

    void start(@Observes StartupEvent event) {
        // A bad destination fails the start, not a delivery hours later.
        Destination.parseList(config.forwardTo().orElse(null));
        Destination.parseList(config.aeAddresses().orElse(null));
        running = true;
        threads = Executors.newScheduledThreadPool(config.workers() + 1);
        for (int w = 0; w < config.workers(); w++) {
            String name = "worker-" + ProcessHandle.current().pid() + "-" + w;
            threads.submit(() -> loop(name));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    private void loop(String worker) {
        while (running) {
            try {
                if (!models.ready()) {
                    Thread.sleep(500);
                    continue;
                }
                Optional<AnalysisQueue.ClaimedJob> job = queue.claim(config.studyStableSeconds(), config.jobLeaseSeconds(),
                        worker);
                if (job.isEmpty()) {
                    Thread.sleep(1000);
                    continue;
                }
                run(job.get(), worker);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be down: nothing is lost, the job stays queued or its lease expires.
                LOG.warnf("Analysis worker %s: %s", worker, e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void run(AnalysisQueue.ClaimedJob job, String worker) {
        long start = System.nanoTime();
        LOG.infof("Analysis job %d: study %s, attempt %d", job.id(), job.studyInstanceUid(), job.attempt());
        long period = Math.max(1, config.jobLeaseSeconds() / 3);
        var lease = threads.scheduleAtFixedRate(() -> {
            try {
                queue.renewLease(job.id(), worker, config.jobLeaseSeconds());
            } catch (RuntimeException e) {
                LOG.warnf("Lease of job %d not renewed: %s", job.id(), e.getMessage());
            }
        }, period, period, TimeUnit.SECONDS);
        try {
            Path dataDir = storage.dataDir().toAbsolutePath();
            List<AnalysisQueue.StoredInstance> instances = queue.instances(job.studyRef());
            List<Path> files = new ArrayList<>();
            Map<String, List<Path>> bySeries = new LinkedHashMap<>();
            for (AnalysisQueue.StoredInstance i : instances) {
                Path file = dataDir.resolve(i.storagePath());
                files.add(file);
                bySeries.computeIfAbsent(i.seriesInstanceUid(), s -> new ArrayList<>()).add(file);
            }
            StudyInput input = StudyInput.read(files, SeriesRoleRules.defaults());
            StudyAnalyzer analyzer = new StudyAnalyzer(models.engine(), models.loaded().packs());
            StudyAnalyzer.StudyAnalysis analysis = analyzer.analyze(input);
            Map<String, SourceSeries> sources = new LinkedHashMap<>();
            for (StudyInput.RoleVolume role : input.volumes().values()) {
                if (!sources.containsKey(role.seriesInstanceUid())) {
                    sources.put(role.seriesInstanceUid(), SourceSeries.read(bySeries.get(role.seriesInstanceUid())));
                }
            }
            AttributeList header = new AttributeList();
            header.read(files.get(0).toFile(), TagFromName.PixelData);
            StudyReport.Objects objects = StudyReport.build(analysis, sources, header, new StudyReport.Settings(
                    Equipment.neurogate(config.installationId(), version), config.reportDisclaimer(),
                    LocalDateTime.now().format(DT)), "analysis-job-" + job.id());
            List<AnalysisQueue.ReportRow> reports = new ArrayList<>();
            for (AttributeList object : objects.all()) {
                String modality = Attribute.getSingleStringValueOrEmptyString(object, TagFromName.Modality);
                reports.add(ReportStore.store(dataDir, job.studyInstanceUid(), object, "SR".equals(modality) ? "SR" : "SEG"));
            }
            String viewer = viewerIndex(dataDir, job, input, analysis);
            Findings f = analysis.findings();
            List<AnalysisQueue.FindingRow> rows = new ArrayList<>();
            for (Measurement m : f.measurements()) {
                rows.add(new AnalysisQueue.FindingRow(m.sourceSeriesUid(), m.analysis(), m.name(), m.concept().scheme(),
                        m.concept().code(), m.concept().meaning(), m.value(), m.unit(), m.method().toString(),
                        String.join(";", m.qcFlags())));
            }
            var json = JSON.valueToTree(f);
            ((com.fasterxml.jackson.databind.node.ObjectNode) json).set("measurements", JSON.valueToTree(f.measurements()));
            List<String> destinations = destinations(job);
            boolean recorded = queue.complete(job, worker, JSON.writeValueAsString(json), viewer, rows, reports, destinations);
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics.analysisFinished(recorded ? "done" : "lost-lease", seconds);
            LOG.infof("Analysis job %d %s in %.1f s: %d measurement(s), %d object(s) for %d destination(s)%s", job.id(),
                    recorded ? "done" : "finished after its lease was taken", seconds, rows.size(), reports.size(),
                    destinations.size(), f.notAssessed().isEmpty() ? "" : "; not assessed: " + f.notAssessed());
        } catch (Exception e) {
            LOG.errorf("Analysis job %d of study %s failed: %s", job.id(), job.studyInstanceUid(), e.toString());
            metrics.analysisFinished("failed", (System.nanoTime() - start) / 1e9);
            try {
                queue.fail(job.id(), worker, e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (RuntimeException db) {
                LOG.warnf("Job %d not marked failed (its lease will expire): %s", job.id(), db.getMessage());
            }
        } finally {
            lease.cancel(false);
        }
    }

    /**
     * The viewer's label maps (NIfTI) and its index of key images and slice stacks, chosen while the
     * volumes are in memory. The PACS's results do not wait on the viewer: a failure here is logged and
     * the study shows without images.
     */
    private static String viewerIndex(Path dataDir, AnalysisQueue.ClaimedJob job, StudyInput input,
                                      StudyAnalyzer.StudyAnalysis analysis) {
        try {
            ReportStore.writeLabelMaps(dataDir, job.studyInstanceUid(), job.id(), analysis.labelMaps());
            ViewerStudy.Volumes volumes = ViewerStudy.volumes(input);
            KeyImages.Study study = ViewerStudy.of(volumes, analysis.labelMaps(), analysis.findings());
            return JSON.writeValueAsString(KeyImages.index(study, volumes.seriesByRole(),
                    KeyImages.choose(study, new java.util.HashMap<>())));
        } catch (Exception e) {
            LOG.warnf("Analysis job %d of study %s: no key images for the viewer: %s", job.id(), job.studyInstanceUid(),
                    e.toString());
            return null;
        }
    }

    /** FORWARD_TO when set; else the study's senders whose addresses are configured. */
    private List<String> destinations(AnalysisQueue.ClaimedJob job) {
        List<Destination> configured = Destination.parseList(config.forwardTo().orElse(null));
        if (!configured.isEmpty()) {
            return configured.stream().map(Destination::toString).toList();
        }
        List<Destination> known = Destination.parseList(config.aeAddresses().orElse(null));
        List<String> senders = queue.sendingAes(job.studyRef());
        return known.stream().filter(d -> senders.contains(d.aeTitle())).map(Destination::toString).toList();
    }
}
