package org.neurogate.phantoms.dicom;

/**
 * Patient and study attributes shared by every series of a phantom study. Synthetic: no real person.
 *
 * @param overrides identifying attributes written over the synthetic ones in every object
 */
public record StudyIdentity(String patientName, String patientId, String birthDate, String sex, String age,
                            String studyInstanceUid, String studyDate, String studyTime, String accessionNumber,
                            String frameOfReferenceUid, IdentityOverrides overrides) {

    public StudyIdentity(String patientName, String patientId, String birthDate, String sex, String age,
                         String studyInstanceUid, String studyDate, String studyTime, String accessionNumber,
                         String frameOfReferenceUid) {
        this(patientName, patientId, birthDate, sex, age, studyInstanceUid, studyDate, studyTime, accessionNumber,
                frameOfReferenceUid, IdentityOverrides.NONE);
    }
}
