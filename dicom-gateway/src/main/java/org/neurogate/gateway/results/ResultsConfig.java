package org.neurogate.gateway.results;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Analysis workers, reports and their delivery to the PACS. */
@ConfigMapping(prefix = "neurogate")
public interface ResultsConfig {

    /** The kinds NEUROGATE_DELIVER may list. */
    java.util.Set<String> KINDS = java.util.Set.of("SR", "SEG", "PDF", "KEY_IMAGES");

    /** NEUROGATE_DELIVER as a set; an unknown kind fails the start. */
    static java.util.Set<String> deliveredKinds(String deliver) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String kind : deliver.split(",")) {
            String k = kind.strip().toUpperCase(java.util.Locale.ROOT);
            if (k.isEmpty()) {
                continue;
            }
            if (!KINDS.contains(k)) {
                throw new IllegalArgumentException("NEUROGATE_DELIVER: unknown object kind '" + kind.strip()
                        + "'; the kinds are " + KINDS);
            }
            out.add(k);
        }
        return out;
    }

    /**
     * A study is analysed once none of its series is still receiving and nothing arrived for this
     * many seconds, so a study pushed series by series is analysed once, whole.
     * Env: NEUROGATE_STUDY_STABLE_SECONDS.
     */
    @WithDefault("20")
    int studyStableSeconds();

    /** Worker threads that run analyses (each holds one job at a time). Env: NEUROGATE_WORKERS. */
    @WithDefault("1")
    int workers();

    /**
     * A running job's lease; the worker renews it every third of this while it works, so only a
     * crashed worker's job expires and is taken again. Env: NEUROGATE_JOB_LEASE_SECONDS.
     */
    @WithDefault("60")
    int jobLeaseSeconds();

    /**
     * Where results go: a comma list of AET@host:port. Unset: back to the AE that sent the study, when
     * {@link #aeAddresses()} knows its address; else they stay in NeuroGate (API).
     * Env: NEUROGATE_FORWARD_TO.
     */
    Optional<String> forwardTo();

    /**
     * Network addresses of known AEs, a comma list of AET@host:port (the PACS's DICOM node table),
     * used to send results back to the sender. Env: NEUROGATE_AE_ADDRESSES.
     */
    Optional<String> aeAddresses();

    /** Identifies this installation in the reports (Device Serial Number). Env: NEUROGATE_INSTALLATION_ID. */
    @WithDefault("neurogate")
    String installationId();

    /** The statement every report carries. Env: NEUROGATE_REPORT_DISCLAIMER. */
    @WithDefault("NeuroGate results are not for diagnostic use until this deployment has been validated at the site.")
    String reportDisclaimer();

    /**
     * The object kinds sent to the PACS, a comma list of SR, SEG, PDF and KEY_IMAGES; every kind is
     * made and kept either way (API and viewer). Reviewed SRs and PDFs go where SR and PDF go.
     * Env: NEUROGATE_DELIVER.
     */
    @WithDefault("SR,SEG,PDF,KEY_IMAGES")
    String deliver();

    /** The label burned into every key image. Env: NEUROGATE_KEY_IMAGE_LABEL. */
    @WithDefault("NeuroGate — not for diagnostic use without review")
    String keyImageLabel();

    /** Page size of the PDF report: A4 or LETTER. Env: NEUROGATE_PDF_PAGE_SIZE. */
    @WithDefault("A4")
    String pdfPageSize();

    /**
     * How a prior study is matched to the patient for the change since the prior study:
     * PATIENT_ID_AND_ISSUER (PatientID and IssuerOfPatientID both equal) or PATIENT_ID (a site with one
     * ID domain). Env: NEUROGATE_PRIOR_MATCH.
     */
    @WithDefault("PATIENT_ID_AND_ISSUER")
    org.neurogate.persistence.PriorStudies.Match priorMatch();

    Delivery delivery();

    interface Delivery {
        /** Attempts before a delivery row goes to dead-letter. Env: NEUROGATE_DELIVERY_MAX_ATTEMPTS. */
        @WithDefault("10")
        int maxAttempts();

        /** First retry delay; each further retry doubles it. Env: NEUROGATE_DELIVERY_BACKOFF_SECONDS. */
        @WithDefault("2")
        double backoffSeconds();

        /** Longest retry delay. Env: NEUROGATE_DELIVERY_MAX_BACKOFF_SECONDS. */
        @WithDefault("300")
        double maxBackoffSeconds();

        /** A send that takes longer is presumed lost and the row becomes due again. */
        @WithDefault("120")
        int sendTimeoutSeconds();
    }
}
