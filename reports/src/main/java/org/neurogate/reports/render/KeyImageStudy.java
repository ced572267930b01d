package org.neurogate.reports.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.volume.Volume;

/**
 * A study's volumes and label maps as the key-image renderer takes them, from an analysis (the worker:
 * key images for the PACS and the viewer) or from disk (the viewer's slices).
 */
public final class KeyImageStudy {

    private KeyImageStudy() {
    }

    /** Volumes by series role name, and the series each came from. */
    public record Volumes(Map<String, Volume> byRole, Map<String, String> seriesByRole) {
    }

    public static Volumes volumes(StudyInput input) {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        Map<String, String> series = new LinkedHashMap<>();
        for (StudyInput.RoleVolume v : input.volumes().values()) {
            volumes.put(v.role().name(), v.volume());
            series.put(v.role().name(), v.seriesInstanceUid());
        }
        return new Volumes(volumes, series);
    }

    /** While the analysis is in memory. */
    public static KeyImages.Study of(Volumes volumes, Map<String, StudyAnalyzer.LabelMap> labelMaps, Findings findings) {
        Map<KeyImages.LabelMapKind, Volume> maps = new EnumMap<>(KeyImages.LabelMapKind.class);
        labelMaps.forEach((name, map) -> KeyImages.LabelMapKind.byFileName(name).ifPresent(k -> maps.put(k, map.labels())));
        Findings.Midline m = findings.midline();
        KeyImages.Midline midline = m == null ? null
                : new KeyImages.Midline(m.normalLps(), m.offsetMm(), m.septumCentreLps(), m.shiftMm());
        return new KeyImages.Study(volumes.byRole(), maps, midline);
    }

    /** From stored label maps and the findings document (the viewer). */
    public static KeyImages.Study of(Volumes volumes, Map<KeyImages.LabelMapKind, Volume> labelMaps, JsonNode findings) {
        JsonNode m = findings.path("midline");
        KeyImages.Midline midline = null;
        if (m.isObject()) {
            midline = new KeyImages.Midline(array(m.path("normal_lps")), m.path("offset_mm").asDouble(),
                    m.path("septum_centre_lps").isArray() ? array(m.path("septum_centre_lps")) : null,
                    m.path("shift_mm").isNumber() ? m.path("shift_mm").asDouble() : null);
        }
        return new KeyImages.Study(volumes.byRole(), labelMaps, midline);
    }

    private static double[] array(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }
}
