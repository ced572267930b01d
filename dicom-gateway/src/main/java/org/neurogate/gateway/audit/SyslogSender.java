package org.neurogate.gateway.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.neurogate.gateway.tls.SecureTransport;
import org.neurogate.gateway.tls.TlsConfig;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.AuditTrail;

/**
 * Sends audit messages as RFC 5424 syslog: facility 10 (security/authorization), severity 5 (notice)
 * for successes and 4 (warning) for failures, MSGID "DICOM+RFC3881", the DICOM audit XML as MSG. Over
 * UDP one message per datagram (RFC 5426, PS3.15 A.7); over TLS framed by octet counting (RFC 5425,
 * PS3.15 A.6), on one connection that is reopened when it breaks.
 */
final class SyslogSender implements AutoCloseable {

    private static final int FACILITY_SECURITY = 10;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final String host;
    private final int port;
    private final boolean tlsTransport;
    private final String sourceId;
    private final TlsConfig tls;
    private DatagramSocket datagrams;
    private Socket stream;

    SyslogSender(String host, int port, String protocol, String sourceId, TlsConfig tls) {
        if (!protocol.equals("udp") && !protocol.equals("tls")) {
            throw new IllegalStateException("NEUROGATE_AUDIT_SYSLOG_PROTOCOL: udp or tls, not '" + protocol + "'");
        }
        this.host = host;
        this.port = port;
        this.tlsTransport = protocol.equals("tls");
        this.sourceId = sourceId;
        this.tls = tls;
    }

    /** The whole syslog message: header, no structured data, the XML as UTF-8 with its BOM. */
    byte[] message(OffsetDateTime at, AuditTrail.Recorded r) {
        int severity = r.outcome() == AuditEvent.SUCCESS ? 5 : 4;
        String header = "<%d>1 %s %s neurogate %d DICOM+RFC3881 - ".formatted(FACILITY_SECURITY * 8 + severity,
                at.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), AuditTrail.HOST,
                ProcessHandle.current().pid());
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] xml = AuditMessage.xml(at, r, sourceId, AuditTrail.HOST).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + UTF8_BOM.length + xml.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(UTF8_BOM, 0, out, head.length, UTF8_BOM.length);
        System.arraycopy(xml, 0, out, head.length + UTF8_BOM.length, xml.length);
        return out;
    }

    void send(OffsetDateTime at, AuditTrail.Recorded r) throws IOException {
        byte[] message = message(at, r);
        if (!tlsTransport) {
            if (datagrams == null) {
                datagrams = new DatagramSocket();
            }
            datagrams.send(new DatagramPacket(message, message.length, new InetSocketAddress(host, port)));
            return;
        }
        try {
            if (stream == null || stream.isClosed()) {
                stream = SecureTransport.connect(tls, host, port, CONNECT_TIMEOUT_MILLIS);
            }
            OutputStream out = stream.getOutputStream();
            out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(message);
            out.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (datagrams != null) {
            datagrams.close();
            datagrams = null;
        }
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // reopened on the next message
            }
            stream = null;
        }
    }
}
