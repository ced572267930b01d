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
import java.time.LocalDate;
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
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.GatewayMetrics;
import org.neurogate.gateway.analysis.ModelCatalog;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.longitudinal.ChangeSincePrior;
import org.neurogate.inference.longitudinal.LongitudinalComparison;
import org.neurogate.inference.longitudinal.StudyMeasurements;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.PriorStudies;
import org.neurogate.reports.Equipment;
import org.neurogate.reports.MeasurementReportWriter;
import org.neurogate.reports.PrintableReport;
import org.neurogate.reports.SourceSeries;
import org.neurogate.reports.StudyReport;
import org.neurogate.reports.content.ChangeSummary;
import org.neurogate.reports.content.ReportContent;
import org.neurogate.reports.pdf.PdfReport;
import org.neurogate.reports.render.KeyImageStudy;
import org.neurogate.reports.render.KeyImages;

/**
 * Runs queued analyses: claims a study whose series have all arrived, runs the four analyses, compares
 * them with the patient's prior study, writes the SEGs, the SR, the key images and the PDF report
 * durably under {@code <data>/reports/<study>/}, and records findings, reports
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
    private final PriorStudies priors;
    private final String version;
    private final ProcessConfig process;
    private ScheduledExecutorService threads;
    private volatile boolean running;

    public AnalysisWorker(AnalysisQueue queue, ModelCatalog models, ResultsConfig config, StorageConfig storage,
                          GatewayMetrics metrics, PriorStudies priors,
                          @org.eclipse.microprofile.config.inject.ConfigProperty(
                                  name = "quarkus.application.version", defaultValue = "0.1.0") String version,
                          ProcessConfig process) {
        this.process = process;
        this.queue = queue;
        this.models = models;
        this.config = config;
        this.storage = storage;
        this.metrics = metrics;
        this.priors = priors;
        this.version = version;
    }

    void start(@Observes StartupEvent event) {
        // A bad destination fails the start, not a delivery hours later.
        Destination.parseList(config.forwardTo().orElse(null));
        Destination.parseList(config.aeAddresses().orElse(null));
        ResultsConfig.deliveredKinds(config.deliver());
        PdfReport.PageSize.parse(config.pdfPageSize());
        if (!process.runs(ProcessConfig.Role.WORKER)) {
            return;
        }
        running = true;
        threads = Executors.newScheduledThreadPool(config.workers() + 1, r -> {
            Thread t = new Thread(r, "analysis");
            t.setDaemon(true); // a job still in native code must not hold the process's exit
            return t;
        });
        for (int w = 0; w < config.workers(); w++) {
            String name = "worker-" + org.neurogate.gateway.ProcessIdentity.name() + "-" + w;
            threads.submit(() -> loop(name));
        }
    }

    /**
     * Runs before the model catalog closes the engine (a lower priority number observes first): stops
     * claiming, stops the ONNX runs in progress, and waits for the workers to hand their jobs back.
     * Closing sessions under a thread still inside {@code OrtSession.run} crashes the JVM.
     */
    void stop(@Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE)
              ShutdownEvent event) {
        running = false;
        if (threads == null) {
            return;
        }
        if (models.engine() != null) {
            models.engine().terminateRuns();
        }
        // No interrupt: a worker handing its job back needs its database connection.
        threads.shutdown();
        try {
            if (!threads.awaitTermination(process.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Analysis workers still busy after %s; their leases expire and another worker retakes the jobs",
                        process.shutdownGrace());
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            StudyAnalyzer analyzer = new StudyAnalyzer(models.engine(), models.loaded().packs(),
                    models.loaded().brainAge());
            StudyAnalyzer.StudyAnalysis analysis = analyzer.analyze(input);
            Map<String, SourceSeries> sources = new LinkedHashMap<>();
            for (StudyInput.RoleVolume role : input.volumes().values()) {
                if (!sources.containsKey(role.seriesInstanceUid())) {
                    sources.put(role.seriesInstanceUid(), SourceSeries.read(bySeries.get(role.seriesInstanceUid())));
                }
            }
            AttributeList header = new AttributeList();
            header.read(files.get(0).toFile(), TagFromName.PixelData);
            Findings f = analysis.findings();
            Longitudinal longitudinal = longitudinal(job, f);
            String key = "analysis-job-" + job.id();
            StudyReport.Settings settings = reportSettings(config, version);
            StudyReport.Objects objects = StudyReport.build(analysis, sources, header, settings, key, longitudinal.change(),
                    longitudinal.prior());
            List<AnalysisQueue.ReportRow> reports = new ArrayList<>();
            for (AttributeList object : objects.all()) {
                String modality = Attribute.getSingleStringValueOrEmptyString(object, TagFromName.Modality);
                reports.add(ReportStore.store(dataDir, job.studyInstanceUid(), object, "SR".equals(modality) ? "SR" : "SEG"));
            }
            List<Measurement> measurements = new ArrayList<>(f.measurements());
            measurements.addAll(longitudinal.change().measurements(f.mci() != null ? f.mci().sourceSeriesUid()
                    : f.lesion() != null ? f.lesion().sourceSeriesUid() : null));
            List<AnalysisQueue.FindingRow> rows = new ArrayList<>();
            for (Measurement m : measurements) {
                rows.add(new AnalysisQueue.FindingRow(m.sourceSeriesUid(), m.analysis(), m.name(), m.concept().scheme(),
                        m.concept().code(), m.concept().meaning(), m.value(), m.unit(), m.method().toString(),
                        String.join(";", m.qcFlags())));
            }
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(f);
            json.set("measurements", JSON.valueToTree(f.measurements()));
            json.set("change", JSON.valueToTree(longitudinal.change()));
            // Which series the analyses read, by role: what a research export with images takes.
            var roles = json.putObject("series_roles");
            new java.util.TreeMap<>(input.volumes()).forEach((role, v) -> roles.put(role.name(), v.seriesInstanceUid()));
            KeyImageStudy.Volumes volumes = KeyImageStudy.volumes(input);
            KeyImages.Study keyStudy = KeyImageStudy.of(volumes, analysis.labelMaps(), f);
            List<KeyImages.KeyImage> keys = keyImages(job, keyStudy);
            String viewer = viewerIndex(dataDir, job, analysis, volumes, keyStudy, keys);
            reports.addAll(printable(dataDir, job, header, settings, key, json, rows, keys, bySeries, objects.report()));
            List<String> destinations = destinations(job);
            boolean recorded = queue.complete(job, worker, JSON.writeValueAsString(json), viewer, rows, reports, destinations,
                    ResultsConfig.deliveredKinds(config.deliver()));
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics.analysisFinished(recorded ? "done" : "lost-lease", seconds);
            LOG.infof("Analysis job %d %s in %.1f s: %d measurement(s), %d object(s) for %d destination(s)%s", job.id(),
                    recorded ? "done" : "finished after its lease was taken", seconds, rows.size(), reports.size(),
                    destinations.size(), f.notAssessed().isEmpty() ? "" : "; not assessed: " + f.notAssessed());
        } catch (Exception e) {
            if (!running) {
                // Stopped by shutdown, not by the study: another worker (or this one after restart) takes it.
                boolean given = giveBack(job, worker);
                LOG.infof("Analysis job %d of study %s %s at shutdown", job.id(), job.studyInstanceUid(),
                        given ? "given back" : "left to its lease");
                return;
            }
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

    private boolean giveBack(AnalysisQueue.ClaimedJob job, String worker) {
        try {
            return queue.giveBack(job.id(), worker);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The change since the prior study, and the prior's SR to cite; NO_PRIOR when nothing earlier matches. */
    record Longitudinal(ChangeSincePrior change, MeasurementReportWriter.PriorStudy prior) {
    }

    private Longitudinal longitudinal(AnalysisQueue.ClaimedJob job, Findings f) {
        Optional<String> date = priors.studyDate(job.studyRef());
        LocalDate studyDate = date.map(d -> LocalDate.parse(d, DateTimeFormatter.BASIC_ISO_DATE)).orElse(null);
        List<PriorStudies.Prior> found = studyDate == null ? List.of() : priors.before(job.studyRef(), config.priorMatch());
        List<StudyMeasurements> earlier = new ArrayList<>();
        for (PriorStudies.Prior p : found) {
            earlier.add(new StudyMeasurements(p.studyInstanceUid(), LocalDate.parse(p.studyDate(),
                    DateTimeFormatter.BASIC_ISO_DATE), p.values().stream().map(v -> new StudyMeasurements.Value(v.analysis(),
                    v.name(), v.value(), v.method())).toList()));
        }
        ChangeSincePrior change = LongitudinalComparison.compare(StudyMeasurements.of(f, studyDate), earlier);
        MeasurementReportWriter.PriorStudy prior = found.stream()
                .filter(p -> p.studyInstanceUid().equals(change.priorStudyInstanceUid())).findFirst()
                .map(p -> new MeasurementReportWriter.PriorStudy(p.studyInstanceUid(), p.reports().stream()
                        .map(r -> new MeasurementReportWriter.StoredObject(r.seriesInstanceUid(), r.sopClassUid(),
                                r.sopInstanceUid())).toList())).orElse(null);
        LOG.infof("Analysis job %d: change since prior %s%s", job.id(), change.status(),
                change.priorStudyInstanceUid() == null ? "" : " (prior study " + change.priorStudyInstanceUid() + ")");
        return new Longitudinal(change, prior);
    }

    /** The key images, chosen once while the volumes are in memory: the viewer, the PDF and the PACS show the same. */
    private static List<KeyImages.KeyImage> keyImages(AnalysisQueue.ClaimedJob job, KeyImages.Study study) {
        try {
            return KeyImages.choose(study, new java.util.HashMap<>());
        } catch (RuntimeException e) {
            LOG.warnf("Analysis job %d of study %s: no key images: %s", job.id(), job.studyInstanceUid(), e.toString());
            return List.of();
        }
    }

    /**
     * The key-image series and the PDF report, stored like the SR. They are what PACS viewers without
     * SR or SEG support show; a failure to draw them is logged and the SR and SEGs still go out.
     */
    private List<AnalysisQueue.ReportRow> printable(Path dataDir, AnalysisQueue.ClaimedJob job, AttributeList header,
                                                    StudyReport.Settings settings, String key,
                                                    com.fasterxml.jackson.databind.JsonNode findings,
                                                    List<AnalysisQueue.FindingRow> rows, List<KeyImages.KeyImage> keys,
                                                    Map<String, List<Path>> bySeries, AttributeList sr) {
        long started = System.nanoTime();
        List<AnalysisQueue.ReportRow> out = new ArrayList<>();
        try {
            PrintableReport.Settings print = printSettings(config);
            List<AttributeList> keyImages = PrintableReport.keyImages(keys, header, settings, print, key);
            List<MeasurementReportWriter.StoredObject> cited = new ArrayList<>();
            cited.add(PrintableReport.stored(sr));
            for (AttributeList k : keyImages) {
                out.add(ReportStore.store(dataDir, job.studyInstanceUid(), k, "KEY_IMAGES"));
                cited.add(PrintableReport.stored(k));
            }
            ReportContent content = ReportContent.of(findings, rows.stream().map(AnalysisWorker::finding).toList(),
                    seriesNames(bySeries));
            AttributeList pdf = PrintableReport.pdf(header, content, ChangeSummary.of(findings.path("change")),
                    PrintableReport.figures(keyImages), settings, print, key, "pdf", PRELIMINARY, cited);
            out.add(ReportStore.store(dataDir, job.studyInstanceUid(), pdf, "PDF"));
            LOG.infof("Analysis job %d: %d key image(s) and the PDF report in %.0f ms", job.id(), keyImages.size(),
                    (System.nanoTime() - started) / 1e6);
        } catch (Exception e) {
            LOG.warnf("Analysis job %d of study %s: no PDF or key images: %s", job.id(), job.studyInstanceUid(),
                    e.toString());
        }
        return out;
    }

    /** The deployment's report settings, made now: equipment, disclaimer and content date-time. */
    public static StudyReport.Settings reportSettings(ResultsConfig config, String version) {
        return new StudyReport.Settings(Equipment.neurogate(config.installationId(), version), config.reportDisclaimer(),
                LocalDateTime.now().format(DT));
    }

    /** How the deployment prints key images and the PDF. */
    public static PrintableReport.Settings printSettings(ResultsConfig config) {
        return new PrintableReport.Settings(config.keyImageLabel(), PdfReport.PageSize.parse(config.pdfPageSize()));
    }

    /** What the PDF says of an analysis nobody has reviewed yet. */
    public static final String PRELIMINARY = "Preliminary: not reviewed by a radiologist";

    /** A stored measurement row as the report content reads it. */
    public static ReportContent.Finding finding(AnalysisQueue.FindingRow f) {
        return new ReportContent.Finding(f.seriesInstanceUid(), f.analysis(), f.name(), f.meaning(), f.value(), f.unit(),
                f.method(), f.qcFlags());
    }

    /** Series descriptions by Series Instance UID, from each series' first header. */
    private static Map<String, String> seriesNames(Map<String, List<Path>> bySeries) {
        Map<String, String> out = new LinkedHashMap<>();
        bySeries.forEach((uid, paths) -> {
            try {
                AttributeList h = new AttributeList();
                h.read(paths.get(0).toFile(), TagFromName.PixelData);
                String d = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.SeriesDescription);
                out.put(uid, d.isBlank() ? uid : d);
            } catch (Exception e) {
                out.put(uid, uid);
            }
        });
        return out;
    }

    /**
     * The viewer's label maps (NIfTI) and its index of key images and slice stacks. The PACS's results
     * do not wait on the viewer: a failure here is logged and the study shows without images.
     */
    private static String viewerIndex(Path dataDir, AnalysisQueue.ClaimedJob job, StudyAnalyzer.StudyAnalysis analysis,
                                      KeyImageStudy.Volumes volumes, KeyImages.Study study,
                                      List<KeyImages.KeyImage> keys) {
        try {
            ReportStore.writeLabelMaps(dataDir, job.studyInstanceUid(), job.id(), analysis.labelMaps());
            return JSON.writeValueAsString(KeyImages.index(study, volumes.seriesByRole(), keys));
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
