package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/**
 * DICOM over TLS (PS3.15 B.9, BCP 195) with mutual authentication, and HTTPS with HSTS, tried with the
 * tools a hospital's senders and auditors use: DCMTK's storescu and echoscu built with OpenSSL, and
 * {@code openssl s_client}. The certificates come from a throw-away CA made here with openssl.
 */
class TransportSecuritySystemTest {

    private static final String STORE_PASSWORD = "test-store-password";
    private static GatewayProcess gateway;
    private static Path work;
    private static Path pki;
    private static int tlsPort;
    private static int httpsPort;
    /** An audit record repository: openssl's TLS server, requiring our certificate, printing what arrives. */
    private static Process syslogCollector;

    @BeforeAll
    static void start() throws Exception {
        work = TestEnvironment.workDir("tls");
        pki = Files.createDirectories(work.resolve("pki"));
        makeTestPki(pki);
        tlsPort = TestEnvironment.freePort();
        httpsPort = TestEnvironment.freePort();
        int syslogPort = TestEnvironment.freePort();
        syslogCollector = new ProcessBuilder("openssl", "s_server", "-accept", Integer.toString(syslogPort), "-quiet",
                "-cert", pki.resolve("server.pem").toString(), "-key", pki.resolve("server.key").toString(),
                "-CAfile", pki.resolve("ca.pem").toString(), "-Verify", "1")
                .redirectOutput(work.resolve("syslog-tls.out").toFile())
                .redirectError(work.resolve("syslog-tls.err").toFile()).start();
        gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_AUDIT_SYSLOG_HOST", "localhost",
                "NEUROGATE_AUDIT_SYSLOG_PORT", Integer.toString(syslogPort),
                "NEUROGATE_AUDIT_SYSLOG_PROTOCOL", "tls",
                "NEUROGATE_TLS_KEY_STORE", pki.resolve("server.p12").toString(),
                "NEUROGATE_TLS_KEY_STORE_PASSWORD", STORE_PASSWORD,
                "NEUROGATE_TLS_TRUST_STORE", pki.resolve("trust.p12").toString(),
                "NEUROGATE_TLS_TRUST_STORE_PASSWORD", STORE_PASSWORD,
                "NEUROGATE_TLS_REQUIRE_CLIENT_CERT", "true",
                "NEUROGATE_TLS_CLIENT_AE_TITLES", "SCANNER01=STORESCU",
                "NEUROGATE_DICOM_TLS_PORT", Integer.toString(tlsPort),
                "NEUROGATE_DICOM_PLAIN_ENABLED", "false",
                "NEUROGATE_HTTPS_PORT", Integer.toString(httpsPort),
                "NEUROGATE_HTTP_REDIRECT_TO_HTTPS", "true"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (https("/q/health/ready").statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // the HTTPS port opens with the rest of HTTP
            }
            assertTrue(System.nanoTime() < deadline, "not ready over HTTPS within 60 s");
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (syslogCollector != null) {
            syslogCollector.destroy();
        }
    }

    @Test
    void aScannerWithItsCertificateStoresASeriesOverTls() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(2762, 0, 4, 64, 1.0), work.resolve("tls-series"));
        Dcmtk.Result sent = Dcmtk.storescu("STORESCU", tlsPort, clientTls(), series);
        assertEquals(series.size(), sent.successes(), sent.output());
        for (Path instance : series) {
            assertTrue(Files.exists(DicomFiles.storedPath(gateway.dataDir(), instance)), "filed: " + instance);
        }
        assertTrue(gateway.log().contains("DICOM TLS SCP listening"), "TLS listener logged");
    }

    @Test
    void aSenderWithoutAClientCertificateIsRefused() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(2763, 0, 2, 64, 1.0), work.resolve("anonymous"));
        // Encrypted, the server verified, but no certificate of its own.
        Dcmtk.Result sent = Dcmtk.storescu("STORESCU", tlsPort, List.of("+tla", "+cf", pki.resolve("ca.pem").toString()), series);
        assertEquals(0, sent.successes(), sent.output());
        assertNotEquals(0, sent.exitCode());
        // A certificate from another CA is no better.
        Dcmtk.Result stranger = Dcmtk.storescu("STORESCU", tlsPort, List.of("+tls", pki.resolve("stranger.key").toString(),
                pki.resolve("stranger.pem").toString(), "+cf", pki.resolve("ca.pem").toString()), series);
        assertEquals(0, stranger.successes(), stranger.output());
        assertEquals(series.size(), Dcmtk.storescu("STORESCU", tlsPort, clientTls(), series).successes(),
                "the listener still serves");
    }

    @Test
    void aCertificateMayCallOnlyAsTheAeTitlesMappedToIt() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(2765, 0, 2, 64, 1.0), work.resolve("mapped"));
        // TESTSCU is an allowed calling AE, but not with SCANNER01's certificate.
        Dcmtk.Result impostor = Dcmtk.storescu("TESTSCU", tlsPort, clientTls(), series);
        assertEquals(0, impostor.successes(), impostor.output());
        assertEquals(series.size(), Dcmtk.storescu("STORESCU", tlsPort, clientTls(), series).successes());
        try (java.sql.Connection c = gateway.database(); java.sql.Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String alert = null;
            String association = null;
            while ((alert == null || association == null) && System.nanoTime() < deadline) {
                alert = firstDetail(st, "node-authentication", "TESTSCU");
                association = firstDetail(st, "association", "STORESCU");
                Thread.sleep(200);
            }
            assertTrue(alert != null && alert.contains("may not call as 'TESTSCU'"), "audited: " + alert);
            // The log line is written right after the A-ASSOCIATE-RJ, so by now it is there.
            assertTrue(gateway.log().contains("certificate CN 'SCANNER01' may not call as 'TESTSCU'"), "the refusal is logged");
            assertTrue(association != null && association.contains("certificate CN SCANNER01")
                    && association.matches(".*TLSv1\\.[23].*"), "audited with its transport: " + association);
        }
    }

    @Test
    void auditMessagesReachASyslogRepositoryOverMutualTls() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(2766, 0, 2, 64, 1.0), work.resolve("audited"));
        assertEquals(series.size(), Dcmtk.storescu("STORESCU", tlsPort, clientTls(), series).successes());
        Path received = work.resolve("syslog-tls.out");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text = "";
        while (System.nanoTime() < deadline && !(text.contains("\"110120\"") && text.contains("\"110104\""))) {
            Thread.sleep(250);
            text = Files.readString(received, StandardCharsets.UTF_8);
        }
        // RFC 5425 octet counting: "<length> <85>1 ..." per message, the application start first.
        assertTrue(text.matches("(?s)\\d+ <85>1 \\S+ \\S+ neurogate \\d+ DICOM\\+RFC3881 - \uFEFF<AuditMessage>.*"),
                "framed RFC 5424 messages over TLS:\n" + text);
        assertTrue(text.contains("\"110120\"") && text.contains("originalText=\"Application Start\""), text);
        assertTrue(text.contains("\"110104\"") && text.contains("UserID=\"STORESCU\""), "the association:\n" + text);
        int length = Integer.parseInt(text.substring(0, text.indexOf(' ')));
        String first = text.substring(text.indexOf(' ') + 1);
        byte[] bytes = first.getBytes(StandardCharsets.UTF_8);
        assertTrue(new String(bytes, 0, length, StandardCharsets.UTF_8).endsWith("</AuditMessage>"),
                "the length counts the message exactly");
    }

    private static String firstDetail(java.sql.Statement st, String kind, String user) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT detail FROM audit_event WHERE kind = '" + kind
                + "' AND username = '" + user + "' ORDER BY id")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void plainDicomToTheTlsPortIsRefusedAndThePlainPortIsOff() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(2764, 0, 2, 64, 1.0), work.resolve("plain"));
        Dcmtk.Result plain = Dcmtk.storescu("STORESCU", tlsPort, List.of(), series);
        assertEquals(0, plain.successes(), plain.output());
        Dcmtk.Result echo = Dcmtk.echoscu("STORESCU", "NEUROGATE", tlsPort);
        assertNotEquals(0, echo.exitCode(), echo.output());
        // NEUROGATE_DICOM_PLAIN_ENABLED=false: nothing listens on the plain port.
        assertThrows(ConnectException.class, () -> new Socket("localhost", gateway.dicomPort()).close());
        assertEquals(series.size(), Dcmtk.storescu("STORESCU", tlsPort, clientTls(), series).successes());
    }

    @Test
    void tls11IsRefusedAndTls12And13AreSpoken() throws Exception {
        String tls11 = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertFalse(tls11.matches("(?s).*Protocol\\s*:\\s*TLSv1\\.1.*"), tls11);
        assertTrue(tls11.contains("alert") || tls11.contains("no protocols available")
                || tls11.contains("handshake failure") || tls11.contains("wrong version"), tls11);
        String tls12 = sClient("-tls1_2");
        assertTrue(tls12.matches("(?s).*Protocol\\s*:\\s*TLSv1\\.2.*"), tls12);
        assertTrue(tls12.matches("(?s).*Cipher\\s*:\\s*ECDHE-RSA-AES(128|256)-GCM-SHA(256|384).*"), "a BCP 195 suite:\n" + tls12);
        String tls13 = sClient("-tls1_3");
        assertTrue(tls13.contains("TLSv1.3"), tls13);
        // A CBC suite of TLS 1.2 (allowed by TLS 1.2 itself, not by BCP 195) is refused.
        String cbc = sClient("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256");
        assertFalse(cbc.matches("(?s).*Cipher\\s*:\\s*ECDHE-RSA-AES128-SHA256.*"), cbc);
    }

    @Test
    void httpsServesTheApiWithHstsAndHttpRedirects() throws Exception {
        HttpResponse<String> health = https("/q/health/ready");
        assertEquals(200, health.statusCode());
        assertTrue(health.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="),
                health.headers().map().toString());
        HttpResponse<String> plain = gateway.get("/q/health/ready", false);
        assertTrue(plain.statusCode() >= 301 && plain.statusCode() <= 308, "plain HTTP answered " + plain.statusCode());
        assertTrue(plain.headers().firstValue("Location").orElse("").startsWith("https://"),
                plain.headers().map().toString());
        // A client that upgrades plain HTTP to HTTP/2 (h2c) gets no redirect from Quarkus, but nothing else either.
        HttpResponse<String> h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.httpPort() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertNotEquals(200, h2c.statusCode(), "served over plain HTTP/2: " + h2c.body());
        assertFalse(h2c.body().contains("UP"), h2c.body());
    }

    private static List<String> clientTls() {
        return List.of("+tls", pki.resolve("client.key").toString(), pki.resolve("client.pem").toString(),
                "+cf", pki.resolve("ca.pem").toString());
    }

    /** openssl s_client against the DICOM TLS port with our client certificate; its whole output. */
    private static String sClient(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "localhost:" + tlsPort,
                "-CAfile", pki.resolve("ca.pem").toString(), "-cert", pki.resolve("client.pem").toString(),
                "-key", pki.resolve("client.key").toString(), "-brief"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // end of input: s_client closes once the handshake is done or failed
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        // -brief prints "Protocol version: TLSv1.2" and "Ciphersuite: ..."; normalise to s_client's long form
        return output.replace("Protocol version:", "Protocol :").replace("Ciphersuite:", "Cipher :");
    }

    private static HttpResponse<String> https(String path) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("trust.p12"))) {
            trust.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A CA, a server certificate for localhost, a scanner's client certificate, and one from a stranger's CA. */
    private static void makeTestPki(Path dir) throws Exception {
        sh(dir, "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=NeuroGate Test CA'");
        sh(dir, "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost'");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        sh(dir, "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext");
        sh(dir, "openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -out server.p12 -passout pass:" + STORE_PASSWORD);
        sh(dir, "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj '/CN=SCANNER01'");
        sh(dir, "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2");
        sh(dir, "openssl req -x509 -newkey rsa:2048 -nodes -keyout stranger.key -out stranger.pem -days 2 -subj '/CN=Stranger'");
        sh(dir, "keytool -importcert -noprompt -alias ca -file ca.pem -keystore trust.p12 -storetype PKCS12 -storepass " + STORE_PASSWORD);
    }

    private static void sh(Path dir, String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, command + ":\n" + output);
    }
}
