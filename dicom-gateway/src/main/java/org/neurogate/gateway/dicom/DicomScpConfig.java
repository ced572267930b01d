package org.neurogate.gateway.dicom;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The DICOM listener: who may connect, what it accepts, and its network limits. */
@ConfigMapping(prefix = "neurogate")
public interface DicomScpConfig {

    /** Our AE title; an association that calls another title is rejected. Env: NEUROGATE_AE_TITLE. */
    @WithDefault("NEUROGATE")
    String aeTitle();

    /** TCP port of the DICOM listener. Env: NEUROGATE_DICOM_PORT. */
    @WithDefault("11112")
    int dicomPort();

    /**
     * Calling AE titles allowed to associate. Empty by default, so nothing is accepted until an
     * operator names the modalities and PACS that may send. Env: NEUROGATE_ALLOWED_CALLING_AES (comma list).
     */
    Optional<List<String>> allowedCallingAes();

    /** Network tuning of the listener. */
    Dicom dicom();

    interface Dicom {
        /** Storage SOP classes accepted for C-STORE; Verification is always accepted. */
        @WithDefault("1.2.840.10008.5.1.4.1.1.4,1.2.840.10008.5.1.4.1.1.4.1,1.2.840.10008.5.1.4.1.1.4.3")
        List<String> acceptedSopClasses();

        /**
         * Transfer syntaxes accepted, stored as received: implicit and explicit little endian, explicit big
         * endian, deflate, RLE, JPEG lossless (process 14 and SV1), JPEG-LS (lossless and near-lossless),
         * JPEG 2000 (lossless and lossy).
         */
        @WithDefault("1.2.840.10008.1.2,1.2.840.10008.1.2.1,1.2.840.10008.1.2.2,1.2.840.10008.1.2.1.99,"
                + "1.2.840.10008.1.2.5,1.2.840.10008.1.2.4.57,1.2.840.10008.1.2.4.70,1.2.840.10008.1.2.4.80,"
                + "1.2.840.10008.1.2.4.81,1.2.840.10008.1.2.4.90,1.2.840.10008.1.2.4.91")
        List<String> acceptedTransferSyntaxes();

        /** Largest P-DATA-TF PDU we offer to receive (PS3.8 D.1). */
        @WithName("max-pdu-length")
        @WithDefault("131072")
        int maxPduLength();

        /** Associations served at once; one more is rejected as transient (local limit exceeded). */
        @WithDefault("32")
        int maxAssociations();

        /**
         * A connected peer from one address may hold at most this many connections (associations, or
         * sockets still to send their A-ASSOCIATE-RQ); one more is rejected as transient, so no single host
         * can take every slot. Env: NEUROGATE_DICOM_MAX_ASSOCIATIONS_PER_PEER.
         */
        @WithDefault("16")
        int maxAssociationsPerPeer();

        /**
         * The A-ASSOCIATE-RQ must arrive whole within this time of the TCP accept (the ARTIM timer of
         * PS3.8 9.1.5); a socket that connects and sends nothing is closed then. Env: NEUROGATE_DICOM_ASSOCIATE_TIMEOUT.
         */
        @WithDefault("10s")
        Duration associateTimeout();

        /** An association with no PDU begun for this long is aborted. Env: NEUROGATE_DICOM_IDLE_TIMEOUT. */
        @WithDefault("60s")
        Duration idleTimeout();

        /**
         * A PDU, once begun, must arrive whole within this time, so a peer cannot hold a slot by sending
         * one byte just inside each idle timeout. At the largest PDU we offer (128 KiB) this still
         * allows a link of 35 kbit/s. Env: NEUROGATE_DICOM_PDU_TIMEOUT.
         */
        @WithDefault("30s")
        Duration pduTimeout();

        /** Address the plain DICOM port listens on; 127.0.0.1 keeps it to this host. Env: NEUROGATE_DICOM_LISTEN_ADDRESS. */
        @WithDefault("0.0.0.0")
        String listenAddress();

        /**
         * The plain (unencrypted) DICOM port; switch it off once every sender uses TLS.
         * Env: NEUROGATE_DICOM_PLAIN_ENABLED.
         */
        @WithDefault("true")
        boolean plainEnabled();

        /**
         * The DICOM TLS port (PS3.15 B.9, BCP 195), open when NEUROGATE_TLS_KEY_STORE is set; 2762 is the
         * port IANA registers for DICOM over TLS. Env: NEUROGATE_DICOM_TLS_PORT.
         */
        @WithDefault("2762")
        int tlsPort();

        /** Address the DICOM TLS port listens on. Env: NEUROGATE_DICOM_TLS_LISTEN_ADDRESS. */
        @WithDefault("0.0.0.0")
        String tlsListenAddress();
    }
}
