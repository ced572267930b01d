package org.neurogate.gateway.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The audit trail: always written to PostgreSQL; optionally sent to an audit record repository as
 * syslog (RFC 5424) carrying DICOM audit message XML (PS3.15 A.5, A.6, A.7).
 */
@ConfigMapping(prefix = "neurogate.audit")
public interface AuditConfig {

    /** AuditSourceID in the messages. Env: NEUROGATE_AUDIT_SOURCE_ID. */
    @WithDefault("NEUROGATE")
    String sourceId();

    /**
     * Events held in memory while the database is unreachable; past it, new events are counted in
     * {@code neurogate_audit_events_dropped_total} and logged, never silently lost.
     * Env: NEUROGATE_AUDIT_QUEUE_CAPACITY.
     */
    @WithDefault("20000")
    int queueCapacity();

    Syslog syslog();

    interface Syslog {
        /** The audit record repository's host; unset, nothing goes to syslog. Env: NEUROGATE_AUDIT_SYSLOG_HOST. */
        Optional<String> host();

        /** Its port: 514 for UDP, 6514 usual for TLS. Env: NEUROGATE_AUDIT_SYSLOG_PORT. */
        @WithDefault("514")
        int port();

        /**
         * {@code udp} (PS3.15 A.7, RFC 5426) or {@code tls} (A.6, RFC 5425: TLS 1.2+, our key store as the
         * client certificate, the repository checked against NEUROGATE_TLS_TRUST_STORE).
         * Env: NEUROGATE_AUDIT_SYSLOG_PROTOCOL.
         */
        @WithDefault("udp")
        String protocol();
    }
}
