package org.neurogate.gateway.ul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpperLayerConnectionTest {

    @Test
    void parsesAnAssociateRequestBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeShort(1);
        b.writeShort(0);
        b.write(ae("NEUROGATE"));
        b.write(ae("SCANNER1"));
        b.write(new byte[32]);
        item(b, 0x10, ascii(UpperLayerConnection.APPLICATION_CONTEXT));
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        DataOutputStream p = new DataOutputStream(pc);
        p.write(new byte[] {7, 0, 0, 0});
        item(p, 0x30, ascii("1.2.840.10008.5.1.4.1.1.4\0")); // NUL-padded to even length
        item(p, 0x40, ascii("1.2.840.10008.1.2.1\0"));
        item(p, 0x40, ascii("1.2.840.10008.1.2"));
        item(b, 0x20, pc.toByteArray());
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        DataOutputStream u = new DataOutputStream(user);
        item(u, 0x51, ByteBuffer.allocate(4).putInt(16384).array());
        item(u, 0x52, ascii("1.2.276.0.7230010.3.0.3.6.7"));
        item(u, 0x55, ascii("OFFIS_DCMTK_367"));
        item(b, 0x50, user.toByteArray());

        AssociateRequest rq = UpperLayerConnection.parseAssociateRequest(ByteBuffer.wrap(body.toByteArray()));

        assertEquals("NEUROGATE", rq.calledAeTitle());
        assertEquals("SCANNER1", rq.callingAeTitle());
        assertEquals(UpperLayerConnection.APPLICATION_CONTEXT, rq.applicationContext());
        assertEquals(List.of(new PresentationContextProposal(7, "1.2.840.10008.5.1.4.1.1.4",
                List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2"))), rq.presentationContexts());
        assertEquals(16384, rq.maxPduLength());
        assertEquals("OFFIS_DCMTK_367", rq.implementationVersionName());
    }

    private static void item(DataOutputStream o, int type, byte[] value) throws IOException {
        o.writeByte(type);
        o.writeByte(0);
        o.writeShort(value.length);
        o.write(value);
    }

    private static byte[] ae(String title) {
        return String.format("%-16s", title).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
