package org.neurogate.phantoms.dicom;

/** Patient and study attributes shared by every series of a phantom study. Synthetic: no real person. */
public record StudyIdentity(String patientName, String patientId, String birthDate, String sex, String age,
                            String studyInstanceUid, String studyDate, String studyTime, String accessionNumber,
                            String frameOfReferenceUid) {
}
