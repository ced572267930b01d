package org.neurogate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.neurogate.gateway.results.ReportStore;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.reports.render.KeyImageStudy;
import org.neurogate.reports.render.KeyImages;
import org.neurogate.reports.render.Window;

/**
 * The volumes behind a study's key images and slice scroller, loaded on first use from the stored
 * instances (the same series the analysis chose) and the analysis' label maps, and kept for the
 * {@code neurogate.viewer.cached-studies} most recently viewed studies: a radiologist scrolls one study
 * at a time, and a slice must come back in well under 100 ms.
 */
@ApplicationScoped
public class StudyImageCache {

    private static final Logger LOG = Logger.getLogger(StudyImageCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A loaded study: its volumes, label maps, key images and intensity samples for windowing. */
    public record Loaded(long jobId, KeyImages.Study study, Map<String, String> seriesByRole,
                         List<KeyImages.KeyImage> keyImages, Map<String, float[]> samples) {
    }

    private final AnalysisQueue queue;
    private final StorageConfig storage;
    private final int capacity;
    private final Map<String, Loaded> loaded;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public StudyImageCache(AnalysisQueue queue, StorageConfig storage, ViewerConfig config) {
        this.queue = queue;
        this.storage = storage;
        this.capacity = Math.max(1, config.cachedStudies());
        this.loaded = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
                return size() > capacity;
            }
        });
    }

    /** The study's latest finished analysis, loaded; 404 when there is none. */
    public Loaded get(String studyUid) {
        AnalysisQueue.FinishedJob job = queue.latestFinished(studyUid)
                .orElseThrow(() -> new NotFoundException("no finished analysis for study " + studyUid));
        Loaded hit = loaded.get(studyUid);
        if (hit != null && hit.jobId() == job.id()) {
            return hit;
        }
        // One loader per study; other studies load in parallel.
        synchronized (locks.computeIfAbsent(studyUid, k -> new Object())) {
            hit = loaded.get(studyUid);
            if (hit != null && hit.jobId() == job.id()) {
                return hit;
            }
            try {
                Loaded fresh = load(studyUid, job.id());
                loaded.put(studyUid, fresh);
                return fresh;
            } catch (IOException e) {
                throw new IllegalStateException("the images of study " + studyUid + " could not be read: " + e.getMessage(), e);
            }
        }
    }

    private Loaded load(String studyUid, long jobId) throws IOException {
        long start = System.nanoTime();
        Path dataDir = storage.dataDir().toAbsolutePath();
        List<Path> files = new ArrayList<>();
        for (AnalysisQueue.StoredInstance i : queue.instancesOfStudy(studyUid)) {
            files.add(dataDir.resolve(i.storagePath()));
        }
        if (files.isEmpty()) {
            throw new NotFoundException("no stored instances for study " + studyUid);
        }
        KeyImageStudy.Volumes volumes = KeyImageStudy.volumes(StudyInput.read(files, SeriesRoleRules.defaults()));
        Map<KeyImages.LabelMapKind, Volume> maps = new EnumMap<>(KeyImages.LabelMapKind.class);
        Path dir = ReportStore.labelMapDir(dataDir, studyUid, jobId);
        for (KeyImages.LabelMapKind kind : KeyImages.LabelMapKind.values()) {
            Path file = dir.resolve(kind.fileName + ".nii.gz");
            if (Files.isRegularFile(file)) {
                maps.put(kind, NiftiFile.read(file));
            }
        }
        JsonNode findings = JSON.readTree(queue.findingsJson(studyUid).orElse("{}"));
        KeyImages.Study study = KeyImageStudy.of(volumes, maps, findings);
        Map<String, float[]> samples = new HashMap<>();
        for (Map.Entry<String, Volume> v : volumes.byRole().entrySet()) {
            samples.put(v.getKey(), Window.intensitySample(v.getValue()));
        }
        List<KeyImages.KeyImage> keyImages = KeyImages.choose(study, samples);
        LOG.infof("Viewer: loaded study %s (%d series, %d label maps) in %.2f s", studyUid, volumes.byRole().size(),
                maps.size(), (System.nanoTime() - start) / 1e9);
        return new Loaded(jobId, study, volumes.seriesByRole(), keyImages, java.util.Collections.unmodifiableMap(samples));
    }
}
