package org.neurogate.gateway.results;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Analysis workers, reports and their delivery to the PACS. */
@ConfigMapping(prefix = "neurogate")
public interface ResultsConfig {

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
