package org.neurogate.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.AuditTrail;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class AuditMessageTest {

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 2, 8, 30, 0, 0, ZoneOffset.UTC);

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAssociationBecomesAnInstancesTransferredMessageWithItsCount() throws Exception {
        AuditTrail.Recorded r = new AuditTrail.Recorded(AuditEvent.ASSOCIATION, AuditEvent.SUCCESS, "MR1",
                Actor.DICOM_PEER, "10.1.2.3", "association", "NEUROGATE", 170, "released: 170 stored, 0 refused");
        Document d = parse(AuditMessage.xml(AT, r, "NEUROGATE", "gw1"));
        Element event = (Element) d.getElementsByTagName("EventIdentification").item(0);
        assertEquals("C", event.getAttribute("EventActionCode"));
        assertEquals("0", event.getAttribute("EventOutcomeIndicator"));
        assertEquals("2026-12-02T08:30:00Z", event.getAttribute("EventDateTime"));
        assertEquals("110104", ((Element) d.getElementsByTagName("EventID").item(0)).getAttribute("csd-code"));
        Element requestor = (Element) d.getElementsByTagName("ActiveParticipant").item(0);
        assertEquals("MR1", requestor.getAttribute("UserID"));
        assertEquals("true", requestor.getAttribute("UserIsRequestor"));
        assertEquals("false", ((Element) d.getElementsByTagName("ActiveParticipant").item(1)).getAttribute("UserIsRequestor"));
        Element detail = (Element) d.getElementsByTagName("ParticipantObjectDetail").item(0);
        assertEquals("MTcw", detail.getAttribute("value"), "170, Base64");
    }

    @Test
    void controlCharactersFromAPeerAreEscapedSoTheXmlStaysWellFormed() throws Exception {
        AuditTrail.Recorded r = new AuditTrail.Recorded(AuditEvent.LOGIN, AuditEvent.MINOR_FAILURE, "eve\u0000\r\nforged",
                null, "10.0.0.9", "user", "eve\u0007", null, "invalid user name or password");
        String xml = AuditMessage.xml(AT, r, "NEUROGATE", "gw1");
        Document d = parse(xml);
        assertEquals("eve\\x00\\x0D\\x0Aforged",
                ((Element) d.getElementsByTagName("ActiveParticipant").item(0)).getAttribute("UserID"));
        assertTrue(xml.contains("110122"), "the Login type code");
    }
}
