package org.neurogate.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The DICOM TLS listener's security, after the BCP 195 secure transport connection profile (PS3.15
 * B.9, RFC 9325): TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites only, the server's order of
 * preference, and client certificates checked against our trust store when asked for.
 */
public final class SecureTransport {

    /** Protocols we speak; SSL 3, TLS 1.0 and 1.1 are refused in the handshake. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * RFC 9325 section 4.2's recommended TLS 1.2 suites (ECDHE or DHE with AES-GCM) plus ChaCha20, and
     * the TLS 1.3 suites; DCMTK's default "non-downgrading BCP 195" profile offers a subset of these.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    private SecureTransport() {
    }

    /** The server context from the configured key store (and trust store, for client certificates). */
    public static SSLContext serverContext(TlsConfig config) throws IOException {
        Path keyStorePath = config.keyStore().orElseThrow(() -> new IllegalStateException("no TLS key store"));
        if (config.trustStore().isEmpty() && config.requireClientCert()) {
            throw new IllegalStateException("NEUROGATE_TLS_REQUIRE_CLIENT_CERT needs NEUROGATE_TLS_TRUST_STORE:"
                    + " the CA that client certificates must chain to");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(keyStorePath, config.keyStorePassword()), trustManagers(config), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS key or trust store: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(Path keyStore, java.util.Optional<String> password)
            throws IOException, GeneralSecurityException {
        char[] keyPassword = password.orElse("").toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore, keyPassword), keyPassword);
        return keys.getKeyManagers();
    }

    /** Our trust store's managers, or null (the JDK's defaults) when none is configured. */
    private static TrustManager[] trustManagers(TlsConfig config) throws IOException, GeneralSecurityException {
        if (config.trustStore().isEmpty()) {
            return null;
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(config.trustStore().get(), config.trustStorePassword().orElse("").toCharArray()));
        return factory.getTrustManagers();
    }

    /**
     * A connected TLS client socket with the profile's protocols and suites, for sending to a peer such
     * as a syslog audit repository: our key store (when set) is the client certificate, the peer is
     * checked against our trust store (else the JDK's) and its name against its certificate.
     */
    public static javax.net.ssl.SSLSocket connect(TlsConfig config, String host, int port, int timeoutMillis)
            throws IOException {
        try {
            KeyManager[] keys = config.keyStore().isPresent()
                    ? keyManagers(config.keyStore().get(), config.keyStorePassword()) : null;
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trustManagers(config), null);
            javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket();
            SSLParameters parameters = socket.getSSLParameters();
            restrictToProfile(parameters, socket.getSupportedCipherSuites());
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.startHandshake();
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS key or trust store: " + e.getMessage(), e);
        }
    }

    /** A listening TLS socket with the profile's protocols and suites; the handshake runs on first read. */
    public static SSLServerSocket listen(SSLContext context, TlsConfig config, InetSocketAddress address, int backlog)
            throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        SSLParameters parameters = socket.getSSLParameters();
        restrictToProfile(parameters, socket.getSupportedCipherSuites());
        parameters.setUseCipherSuitesOrder(true);
        if (config.requireClientCert()) {
            parameters.setNeedClientAuth(true);
        } else if (config.trustStore().isPresent()) {
            parameters.setWantClientAuth(true);
        }
        socket.setSSLParameters(parameters);
        socket.bind(address, backlog);
        return socket;
    }

    /** The profile's protocols, and those of its suites this JDK supports. */
    private static void restrictToProfile(SSLParameters parameters, String[] supportedSuites) {
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        Set<String> supported = Set.of(supportedSuites);
        parameters.setCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    /** For the start-up log line: what the listener negotiates. */
    public static String describe(SSLServerSocket socket) {
        return String.join("/", socket.getEnabledProtocols()) + ", " + socket.getEnabledCipherSuites().length
                + " cipher suites" + (socket.getNeedClientAuth() ? ", client certificate required"
                : socket.getWantClientAuth() ? ", client certificate checked when sent" : "");
    }
}
