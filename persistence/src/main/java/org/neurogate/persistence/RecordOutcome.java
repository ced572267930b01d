package org.neurogate.persistence;

/** Result of recording a received instance. */
public enum RecordOutcome {
    /** First copy of this SOP Instance UID: a new row. */
    NEW,
    /** The SOP Instance UID was already recorded in the same series; nothing changed (first copy wins). */
    DUPLICATE,
    /** The study is stored under another patient (PatientID, issuer, name or birth date differ). */
    PATIENT_MISMATCH,
    /** The Series Instance UID is stored under another study. */
    SERIES_IN_OTHER_STUDY,
    /** The SOP Instance UID is stored in another series or study. */
    SOP_INSTANCE_REUSED;

    /** An outcome that must never be filed: the instance contradicts what is stored. */
    public boolean isConflict() {
        return this == PATIENT_MISMATCH || this == SERIES_IN_OTHER_STUDY || this == SOP_INSTANCE_REUSED;
    }
}
