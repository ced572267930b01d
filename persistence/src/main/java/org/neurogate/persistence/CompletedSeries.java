package org.neurogate.persistence;

/** A series that has just become COMPLETE; {@code jobQueued} says whether an analysis job was queued for it. */
public record CompletedSeries(String seriesInstanceUid, String modality, int instanceCount, boolean jobQueued) {
}
