package org.neurogate.persistence;

import java.util.Objects;

/**
 * What the C-STORE SCP learned about one instance that is already durably on disk.
 *
 * @param storagePath path of the stored Part 10 file, relative to the data directory
 */
public record ReceivedInstance(
        PatientAttributes patient,
        StudyAttributes study,
        SeriesAttributes series,
        String sopInstanceUid,
        String sopClassUid,
        Integer instanceNumber,
        String transferSyntaxUid,
        String storagePath,
        long sizeBytes,
        String callingAe) {

    public ReceivedInstance {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(series, "series");
        requireText(sopInstanceUid, "sopInstanceUid");
        requireText(sopClassUid, "sopClassUid");
        requireText(transferSyntaxUid, "transferSyntaxUid");
        requireText(storagePath, "storagePath");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0, was " + sizeBytes);
        }
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Patient Module attributes (PS3.3 C.7.1.1). PHI: never log. */
    public record PatientAttributes(String patientId, String issuerOfPatientId, String patientName,
                                    String birthDate, String sex) {
        /** The key a PACS identifies a patient by: PatientID within its issuer. */
        public String patientKey() {
            return (patientId == null ? "" : patientId) + "^" + (issuerOfPatientId == null ? "" : issuerOfPatientId);
        }
    }

    /** General Study Module attributes (PS3.3 C.7.2.1). */
    public record StudyAttributes(String studyInstanceUid, String studyDate, String studyTime,
                                  String accessionNumber, String studyDescription) {
        public StudyAttributes {
            requireText(studyInstanceUid, "studyInstanceUid");
        }
    }

    /** General Series Module attributes (PS3.3 C.7.3.1). */
    public record SeriesAttributes(String seriesInstanceUid, String modality, Integer seriesNumber,
                                   String seriesDescription) {
        public SeriesAttributes {
            requireText(seriesInstanceUid, "seriesInstanceUid");
        }
    }
}
