package org.neurogate.gateway.audit;

import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.neurogate.gateway.store.LogText;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.AuditTrail;

/**
 * One audited event as a DICOM audit message (PS3.15 A.5.1, the XML schema that extends RFC 3881): the
 * event and its outcome, the requestor and this gateway as active participants, the audit source, and
 * the participant object. Peer-supplied text is escaped first: it may hold control characters, which
 * XML 1.0 cannot carry.
 */
final class AuditMessage {

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private AuditMessage() {
    }

    static String xml(OffsetDateTime at, AuditTrail.Recorded r, String sourceId, String host) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartElement("AuditMessage");
            w.writeStartElement("EventIdentification");
            w.writeAttribute("EventActionCode", String.valueOf(r.event().action()));
            w.writeAttribute("EventDateTime", at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            w.writeAttribute("EventOutcomeIndicator", Integer.toString(r.outcome()));
            code(w, "EventID", r.event().eventId().value(), "DCM", r.event().eventId().meaning());
            if (r.event().eventType().isPresent()) {
                AuditEvent.Code type = r.event().eventType().get();
                code(w, "EventTypeCode", type.value(), "DCM", type.meaning());
            }
            if (r.detail() != null) {
                w.writeStartElement("EventOutcomeDescription");
                w.writeCharacters(text(r.detail()));
                w.writeEndElement();
            }
            w.writeEndElement();

            // The requestor; a peer that never named itself (a failed TLS handshake) by its address.
            boolean requestor = r.username() != null || r.sourceAddress() != null;
            if (requestor) {
                w.writeStartElement("ActiveParticipant");
                w.writeAttribute("UserID", text(r.username() != null ? r.username() : r.sourceAddress()));
                if (r.userRole() != null) {
                    w.writeAttribute("AlternativeUserID", text(r.userRole()));
                }
                w.writeAttribute("UserIsRequestor", "true");
                if (r.sourceAddress() != null) {
                    w.writeAttribute("NetworkAccessPointID", text(r.sourceAddress()));
                    w.writeAttribute("NetworkAccessPointTypeCode", "2");
                }
                w.writeEndElement();
            }
            w.writeStartElement("ActiveParticipant");
            w.writeAttribute("UserID", sourceId);
            w.writeAttribute("AlternativeUserID", Long.toString(ProcessHandle.current().pid()));
            w.writeAttribute("UserIsRequestor", Boolean.toString(!requestor));
            w.writeAttribute("NetworkAccessPointID", host);
            w.writeAttribute("NetworkAccessPointTypeCode", "1");
            w.writeEndElement();

            w.writeStartElement("AuditSourceIdentification");
            w.writeAttribute("AuditSourceID", sourceId);
            // 4: application server process tier in a multi-tier system
            code(w, "AuditSourceTypeCode", "4", "DCM", "Application Server Process");
            w.writeEndElement();

            if (r.objectId() != null) {
                participantObject(w, r);
            }
            w.writeEndElement();
            w.flush();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write an audit message: " + e.getMessage(), e);
        }
    }

    /** The object's type code and role (RFC 3881 5.5), and what its ID is. */
    private static void participantObject(XMLStreamWriter w, AuditTrail.Recorded r) throws XMLStreamException {
        String type = r.objectType() == null ? "" : r.objectType();
        w.writeStartElement("ParticipantObjectIdentification");
        w.writeAttribute("ParticipantObjectID", text(r.objectId()));
        switch (type) {
            case "user" -> {
                w.writeAttribute("ParticipantObjectTypeCode", "1");
                w.writeAttribute("ParticipantObjectTypeCodeRole", "11");
                code(w, "ParticipantObjectIDTypeCode", "11", "RFC-3881", "User Identifier");
            }
            case "study" -> {
                w.writeAttribute("ParticipantObjectTypeCode", "2");
                w.writeAttribute("ParticipantObjectTypeCodeRole", "3");
                code(w, "ParticipantObjectIDTypeCode", "110180", "DCM", "Study Instance UID");
            }
            case "report" -> {
                // a SOP Instance UID: DCM has no ID type for one, RFC 3881 names it as a URI (urn:oid)
                w.writeAttribute("ParticipantObjectTypeCode", "2");
                w.writeAttribute("ParticipantObjectTypeCodeRole", "3");
                code(w, "ParticipantObjectIDTypeCode", "12", "RFC-3881", "URI");
            }
            default -> {
                w.writeAttribute("ParticipantObjectTypeCode", "2");
                w.writeAttribute("ParticipantObjectTypeCodeRole", "13");
                code(w, "ParticipantObjectIDTypeCode", "12", "RFC-3881", "URI");
            }
        }
        w.writeStartElement("ParticipantObjectName");
        w.writeCharacters(type.isEmpty() ? "object" : type);
        w.writeEndElement();
        if (r.instances() != null) {
            w.writeStartElement("ParticipantObjectDetail");
            w.writeAttribute("type", "NumberOfInstances");
            w.writeAttribute("value", java.util.Base64.getEncoder().encodeToString(
                    Integer.toString(r.instances()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static String text(String value) {
        return LogText.escaped(value, 2000);
    }

    private static void code(XMLStreamWriter w, String element, String value, String scheme, String meaning)
            throws XMLStreamException {
        w.writeEmptyElement(element);
        w.writeAttribute("csd-code", value);
        w.writeAttribute("codeSystemName", scheme);
        w.writeAttribute("originalText", meaning);
    }
}
