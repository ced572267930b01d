package org.neurogate.gateway.tls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Our certificate and whom we trust, for DICOM over TLS and for HTTPS. TLS is on when a key store is set;
 * without one the gateway serves plain DICOM and HTTP only, as before.
 */
@ConfigMapping(prefix = "neurogate.tls")
public interface TlsConfig {

    /** PKCS#12 file with our private key and certificate chain. Env: NEUROGATE_TLS_KEY_STORE. */
    Optional<Path> keyStore();

    /** Its password. Env: NEUROGATE_TLS_KEY_STORE_PASSWORD. */
    Optional<String> keyStorePassword();

    /**
     * PKCS#12 file with the certificates (usually a hospital CA) that client certificates must chain to.
     * Env: NEUROGATE_TLS_TRUST_STORE.
     */
    Optional<Path> trustStore();

    /** Its password. Env: NEUROGATE_TLS_TRUST_STORE_PASSWORD. */
    Optional<String> trustStorePassword();

    /**
     * Mutual TLS on the DICOM TLS port: a sender without a certificate from the trust store is refused
     * during the handshake, before any DICOM is read. Env: NEUROGATE_TLS_REQUIRE_CLIENT_CERT.
     */
    @WithDefault("false")
    boolean requireClientCert();

    /**
     * Which calling AE titles a client certificate may use on the DICOM TLS port, by the certificate's
     * subject common name: {@code <CN>=<AE>[,<AE>...]}, entries separated by ';', e.g.
     * {@code mr1.hospital.org=MR1,MR1_QC;pacs.hospital.org=PACS}. When set, an association on the TLS
     * port whose calling AE title is not mapped to its certificate's CN (or that sent no certificate) is
     * rejected as "calling AE title not recognized". Unset, any trusted certificate may use any allowed
     * AE title. Env: NEUROGATE_TLS_CLIENT_AE_TITLES.
     */
    Optional<String> clientAeTitles();

    default boolean enabled() {
        return keyStore().isPresent();
    }
}
