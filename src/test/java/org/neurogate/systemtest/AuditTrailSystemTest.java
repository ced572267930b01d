package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.neurogate.phantoms.SyntheticMrSeries;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The audit trail (IHE ATNA, DICOM PS3.15 A.5) as an auditor reads it: logins, failures and logouts,
 * account changes, associations with their instance counts and the refused ones, study views, reads of
 * the trail itself, and a restart with what changed; every row with who, from where, what and the
 * outcome. The same events arrive as RFC 5424 syslog carrying DICOM audit XML at a UDP collector, and
 * the table refuses to be rewritten.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin";
    private static final String READER_PASSWORD = "audited-reader-secret-1";
    private static GatewayProcess gateway;
    private static Path work;
    private static DatagramSocket collector;
    private static final ConcurrentLinkedQueue<byte[]> syslog = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        work = TestEnvironment.workDir("audit");
        collector = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread receiver = new Thread(() -> {
            byte[] buffer = new byte[65536];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    collector.receive(packet);
                } catch (java.io.IOException closed) {
                    return;
                }
                syslog.add(Arrays.copyOf(packet.getData(), packet.getLength()));
            }
        }, "syslog-collector");
        receiver.setDaemon(true);
        receiver.start();
        gateway = GatewayProcess.start(work.resolve("data"), auditEnv(GatewayProcess.ALLOWED_AES));
    }

    private static Map<String, String> auditEnv(String allowedAes) {
        return GatewayProcess.env("NEUROGATE_AUDIT_SYSLOG_HOST", "127.0.0.1",
                "NEUROGATE_AUDIT_SYSLOG_PORT", Integer.toString(collector.getLocalPort()),
                "NEUROGATE_ALLOWED_CALLING_AES", allowedAes);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    @Order(1)
    void loginsFailuresAndLogoutsAreRecordedAndSentToSyslog() throws Exception {
        assertEquals(401, gateway.send("GET", "/api/studies", ADMIN, "not-the-password-1", null).statusCode());
        assertEquals(401, gateway.send("GET", "/api/studies", "mallory", "guessing-password-1", null).statusCode());
        JsonNode failures = awaitAudit(gateway, "event=login&outcome=4", r -> has(r, ADMIN, 4) && has(r, "mallory", 4));
        for (JsonNode row : failures) {
            assertTrue(row.path("detail").asText().contains("invalid user name or password (HTTP Basic)"), row.toString());
            assertEquals("127.0.0.1", row.path("sourceAddress").asText(), row.toString());
            assertEquals("110114", row.path("eventCode").asText());
            assertEquals("110122", row.path("eventTypeCode").asText());
        }

        FormClient browser = new FormClient(gateway);
        assertEquals(302, browser.post("/j_security_check", Map.of("j_username", ADMIN,
                "j_password", GatewayProcess.ADMIN_PASSWORD)).statusCode());
        String csrf = FormClient.field(browser.get("/viewer").body(), "csrf");
        int logout = browser.post("/logout", Map.of("csrf", csrf)).statusCode();
        assertTrue(logout == 302 || logout == 303, "logout answered " + logout);
        JsonNode logins = awaitAudit(gateway, "event=login&user=admin&outcome=0",
                r -> contains(r, "viewer login form"));
        assertEquals("admin", logins.get(0).path("userRole").asText(), logins.toString());
        awaitAudit(gateway, "event=logout&user=admin", r -> has(r, ADMIN, 0));

        // The collector got the same events: RFC 5424 header, DICOM audit XML.
        Document failure = awaitSyslog("<84>1 ", "110122", "mallory");
        Element event = (Element) failure.getElementsByTagName("EventIdentification").item(0);
        assertEquals("4", event.getAttribute("EventOutcomeIndicator"));
        assertEquals("E", event.getAttribute("EventActionCode"));
        assertEquals("110114", ((Element) event.getElementsByTagName("EventID").item(0)).getAttribute("csd-code"));
        Element requestor = (Element) failure.getElementsByTagName("ActiveParticipant").item(0);
        assertEquals("mallory", requestor.getAttribute("UserID"));
        assertEquals("127.0.0.1", requestor.getAttribute("NetworkAccessPointID"));
        assertEquals("NEUROGATE", ((Element) failure.getElementsByTagName("AuditSourceIdentification").item(0))
                .getAttribute("AuditSourceID"));
        awaitSyslog("<85>1 ", "110123", ADMIN);
    }

    @Test
    @Order(2)
    void accountChangesAreRecordedByWhomAndOnWhom() throws Exception {
        assertEquals(201, gateway.send("POST", "/api/users", ADMIN, GatewayProcess.ADMIN_PASSWORD, JSON.writeValueAsString(
                Map.of("username", "audited.reader", "password", READER_PASSWORD, "role", "radiologist",
                        "mustChangePassword", false))).statusCode());
        assertEquals(200, gateway.send("PUT", "/api/users/audited.reader/password", ADMIN, GatewayProcess.ADMIN_PASSWORD,
                "{\"password\": \"reset-by-the-admin-2\"}").statusCode());
        assertEquals(200, gateway.send("POST", "/api/users/audited.reader/disable", ADMIN, GatewayProcess.ADMIN_PASSWORD,
                null).statusCode());
        assertEquals(200, gateway.send("POST", "/api/users/audited.reader/enable", ADMIN, GatewayProcess.ADMIN_PASSWORD,
                null).statusCode());
        assertEquals(204, gateway.send("DELETE", "/api/users/audited.reader", ADMIN, GatewayProcess.ADMIN_PASSWORD,
                null).statusCode());
        assertEquals(400, gateway.send("POST", "/api/users/admin/disable", ADMIN, GatewayProcess.ADMIN_PASSWORD,
                null).statusCode());
        for (String event : List.of("user-created", "password-changed", "user-disabled", "user-enabled", "user-deleted")) {
            JsonNode rows = awaitAudit(gateway, "event=" + event + "&object=audited.reader", r -> has(r, ADMIN, 0));
            assertEquals("user", rows.get(0).path("objectType").asText(), rows.toString());
        }
        assertTrue(contains(awaitAudit(gateway, "event=user-created&object=audited.reader", r -> r.size() > 0),
                "role radiologist"));
        awaitAudit(gateway, "event=user-disabled&object=admin", r -> has(r, ADMIN, 4));
        // No password is ever in the trail.
        String everything = gateway.api("/api/audit?limit=1000").toString();
        for (String secret : List.of(READER_PASSWORD, "reset-by-the-admin-2", GatewayProcess.ADMIN_PASSWORD,
                "not-the-password-1", "guessing-password-1")) {
            assertFalse(everything.contains(secret), "a password in the audit trail");
        }
    }

    @Test
    @Order(3)
    void associationsCarryTheirCountsAndRefusedPeersAreSecurityAlerts() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(1500, 0, 3, 64, 1.0), work.resolve("series"));
        assertEquals(3, Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), series).successes());
        JsonNode associations = awaitAudit(gateway, "event=association&user=STORESCU", r -> r.size() > 0);
        JsonNode row = associations.get(0);
        assertEquals(3, row.path("instances").asInt(), row.toString());
        assertEquals(0, row.path("outcome").asInt(), row.toString());
        assertEquals("dicom-peer", row.path("userRole").asText());
        assertEquals("NEUROGATE", row.path("objectId").asText(), "the called AE");
        assertTrue(row.path("detail").asText().startsWith("released: 3 stored, 0 refused"), row.toString());
        assertEquals("110104", row.path("eventCode").asText());

        Dcmtk.Result intruder = Dcmtk.echoscu("INTRUDER", "NEUROGATE", gateway.dicomPort());
        assertTrue(intruder.exitCode() != 0, intruder.output());
        JsonNode alerts = awaitAudit(gateway, "event=node-authentication&user=INTRUDER", r -> has(r, "INTRUDER", 4));
        assertTrue(alerts.get(0).path("detail").asText().contains("calling AE title not in"), alerts.toString());
        assertEquals("110113", alerts.get(0).path("eventCode").asText());
        assertEquals("110126", alerts.get(0).path("eventTypeCode").asText());

        // Viewing the study is recorded by study UID; asking for one that does not exist is a failure.
        String study = DicomFiles.string(series.get(0), com.pixelmed.dicom.TagFromName.StudyInstanceUID);
        assertEquals(200, gateway.send("GET", "/api/studies/" + study, ADMIN, GatewayProcess.ADMIN_PASSWORD, null)
                .statusCode());
        JsonNode views = awaitAudit(gateway, "event=study-viewed&object=" + study, r -> has(r, ADMIN, 0));
        assertEquals("study", views.get(0).path("objectType").asText());
        assertEquals(404, gateway.send("GET", "/api/studies/1.2.826.0.1.3680043.99.1", ADMIN,
                GatewayProcess.ADMIN_PASSWORD, null).statusCode());
        awaitAudit(gateway, "event=study-viewed&object=1.2.826.0.1.3680043.99.1", r -> has(r, ADMIN, 4));
        Document xml = awaitSyslog("<85>1 ", "110104", "STORESCU");
        Element detail = (Element) xml.getElementsByTagName("ParticipantObjectDetail").item(0);
        assertEquals("3", new String(java.util.Base64.getDecoder().decode(detail.getAttribute("value")),
                StandardCharsets.US_ASCII));
    }

    @Test
    @Order(4)
    void theTrailIsForAdminsFilteredPagedAndItsReadsAreRecorded() throws Exception {
        assertEquals(201, gateway.send("POST", "/api/users", ADMIN, GatewayProcess.ADMIN_PASSWORD, JSON.writeValueAsString(
                Map.of("username", "nosy.researcher", "password", READER_PASSWORD, "role", "researcher",
                        "mustChangePassword", false))).statusCode());
        assertEquals(403, gateway.send("GET", "/api/audit", "nosy.researcher", READER_PASSWORD, null).statusCode());
        assertEquals(401, gateway.send("GET", "/api/audit", null, null, null).statusCode());
        awaitAudit(gateway, "event=audit-read&user=nosy.researcher", r -> has(r, "nosy.researcher", 4));
        for (String bad : List.of("event=nonsense", "outcome=5", "from=yesterday")) {
            HttpResponse<byte[]> r = gateway.send("GET", "/api/audit?" + bad, ADMIN, GatewayProcess.ADMIN_PASSWORD, null);
            assertEquals(400, r.statusCode(), bad);
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"error\""), bad);
        }
        JsonNode page = gateway.api("/api/audit?limit=3");
        assertEquals(3, page.size());
        long last = page.get(2).path("id").asLong();
        assertTrue(page.get(0).path("id").asLong() > last, "newest first");
        JsonNode older = gateway.api("/api/audit?limit=3&before=" + last);
        for (JsonNode row : older) {
            assertTrue(row.path("id").asLong() < last, older.toString());
        }
        JsonNode window = gateway.api("/api/audit?event=login&from=2020-01-01T00:00:00Z&to=2999-01-01T00:00:00Z");
        assertTrue(window.size() > 0);
        window.forEach(r -> assertEquals("login", r.path("kind").asText()));
        assertEquals(0, gateway.api("/api/audit?from=2999-01-01T00:00:00Z").size());
        JsonNode reads = awaitAudit(gateway, "event=audit-read&user=admin", r -> contains(r, "filters: event=login"));
        assertEquals("110101", reads.get(0).path("eventCode").asText());
    }

    @Test
    @Order(5)
    void theTrailCannotBeRewritten() throws Exception {
        try (Connection c = gateway.database(); Statement st = c.createStatement()) {
            for (String sql : List.of("UPDATE audit_event SET detail = 'nothing happened'", "DELETE FROM audit_event",
                    "TRUNCATE audit_event")) {
                SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
        assertTrue(gateway.api("/api/audit?limit=5").size() == 5, "the rows are all still there");
    }

    @Test
    @Order(6)
    void aRestartRecordsStopAndStartAndNamesTheSettingsThatChanged() throws Exception {
        JsonNode firstStart = gateway.api("/api/audit?event=application-start");
        assertEquals(1, firstStart.size(), firstStart.toString());
        assertTrue(firstStart.get(0).path("detail").asText().contains("first start on this node"), firstStart.toString());
        gateway.close();
        gateway = GatewayProcess.start(work.resolve("data"), auditEnv(GatewayProcess.ALLOWED_AES + ",AUDITSCU"));
        awaitAudit(gateway, "event=application-stop", r -> r.size() == 1);
        JsonNode starts = awaitAudit(gateway, "event=application-start", r -> r.size() == 2);
        assertTrue(starts.get(0).path("detail").asText().contains("models ["), starts.toString());
        JsonNode changed = awaitAudit(gateway, "event=configuration-changed", r -> r.size() == 1);
        String detail = changed.get(0).path("detail").asText();
        assertTrue(detail.contains("neurogate.allowed.calling.aes"), detail);
        assertFalse(detail.contains("AUDITSCU"), "a setting's value is never in the trail: " + detail);
        assertFalse(detail.contains("model."), "the models did not change: " + detail);
        assertFalse(detail.contains("datasource"), "the embedded database's login is made at each start: " + detail);
        // Events from before the restart are still there.
        assertTrue(gateway.api("/api/audit?event=association&user=STORESCU").size() > 0);
    }

    // --- shared with the other system tests that check their events ------------------------------------

    /** The trail's rows for {@code query} once {@code condition} holds on them (events are written within a second). */
    static JsonNode awaitAudit(GatewayProcess gateway, String query, Predicate<JsonNode> condition) throws Exception {
        return gateway.awaitApi("/api/audit?" + query, condition, Duration.ofSeconds(20));
    }

    static boolean has(JsonNode rows, String user, int outcome) {
        for (JsonNode r : rows) {
            if (r.path("username").asText().equals(user) && r.path("outcome").asInt() == outcome) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode rows, String detail) {
        for (JsonNode r : rows) {
            if (r.path("detail").asText().contains(detail)) {
                return true;
            }
        }
        return false;
    }

    /** The first syslog message with this header start whose XML holds both strings, parsed. */
    private static Document awaitSyslog(String header, String code, String user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (byte[] message : syslog) {
                String text = new String(message, StandardCharsets.UTF_8);
                if (text.startsWith(header) && text.contains("\"" + code + "\"") && text.contains("\"" + user + "\"")) {
                    // <PRI>1 TIMESTAMP HOST APP PROCID MSGID - BOM<AuditMessage...
                    String[] fields = text.split(" ", 8);
                    assertEquals("neurogate", fields[3], text);
                    assertEquals("DICOM+RFC3881", fields[5], text);
                    assertEquals("-", fields[6], text);
                    assertTrue(fields[7].startsWith("\uFEFF<AuditMessage>"), text);
                    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                            fields[7].substring(1).getBytes(StandardCharsets.UTF_8)));
                }
                seen.add(text.length() > 120 ? text.substring(0, 120) : text);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no syslog message " + header + " with " + code + " and " + user + "; got " + seen.size()
                + " others, e.g. " + seen.stream().limit(5).toList());
    }
}
