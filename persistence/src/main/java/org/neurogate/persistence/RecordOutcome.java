package org.neurogate.persistence;

/** Result of recording a received instance. */
public enum RecordOutcome {
    /** First copy of this SOP Instance UID: a new row. */
    NEW,
    /** The SOP Instance UID was already recorded; nothing changed (first copy wins). */
    DUPLICATE
}
