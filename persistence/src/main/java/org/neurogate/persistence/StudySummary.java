package org.neurogate.persistence;

import java.util.List;

/** A study with its series, as the studies API shows it. Carries no patient data. */
public record StudySummary(String studyInstanceUid, String studyDate, List<SeriesSummary> series) {
    public StudySummary {
        series = List.copyOf(series);
    }

    public record SeriesSummary(String seriesInstanceUid, String modality, String seriesDescription,
                                int instanceCount, SeriesState state) {
    }
}
