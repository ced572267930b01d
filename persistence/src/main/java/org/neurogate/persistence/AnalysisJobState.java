package org.neurogate.persistence;

/** Life cycle of an analysis job row. */
public enum AnalysisJobState {
    QUEUED, RUNNING, DONE, FAILED
}
