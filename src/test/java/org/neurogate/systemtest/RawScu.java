package org.neurogate.systemtest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.CStoreRequestCommandMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple Storage SCU that sends whatever bytes a test gives it: the fault injector for
 * inputs no well-behaved DCMTK tool would produce (random bytes, truncated or mislabelled data sets).
 */
final class RawScu implements AutoCloseable {

    record Context(int id, String abstractSyntax, String transferSyntax) {
    }

    record Status(int code, String comment) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    /** Presentation context id to result (0 = acceptance) from the A-ASSOCIATE-AC. */
    private final Map<Integer, Integer> results = new HashMap<>();
    private int messageId;

    private RawScu(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(30_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Associates as {@code callingAe}; returns null-free RawScu or throws if rejected. */
    static RawScu associate(int port, String callingAe, List<Context> contexts) throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setTcpNoDelay(true);
        RawScu scu = new RawScu(socket);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeShort(1);
        b.writeShort(0);
        b.write(String.format("%-16s", "NEUROGATE").getBytes(StandardCharsets.US_ASCII));
        b.write(String.format("%-16s", callingAe).getBytes(StandardCharsets.US_ASCII));
        b.write(new byte[32]);
        item(b, 0x10, "1.2.840.10008.3.1.1.1");
        for (Context c : contexts) {
            ByteArrayOutputStream pc = new ByteArrayOutputStream();
            DataOutputStream p = new DataOutputStream(pc);
            p.write(new byte[] {(byte) c.id(), 0, 0, 0});
            item(p, 0x30, c.abstractSyntax());
            item(p, 0x40, c.transferSyntax());
            writeItem(b, 0x20, pc.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        DataOutputStream u = new DataOutputStream(user);
        writeItem(u, 0x51, new byte[] {0, 0, 0x40, 0}); // 16384
        item(u, 0x52, "1.2.3.4.5.6");
        writeItem(b, 0x50, user.toByteArray());
        scu.pdu(0x01, body.toByteArray());

        int type = scu.in.readUnsignedByte();
        scu.in.readUnsignedByte();
        byte[] reply = new byte[scu.in.readInt()];
        scu.in.readFully(reply);
        if (type != 0x02) {
            scu.socket.close();
            throw new IOException("association not accepted: PDU type " + type);
        }
        int pos = 68;
        while (pos < reply.length) {
            int itemType = reply[pos] & 0xff;
            int length = ((reply[pos + 2] & 0xff) << 8) | (reply[pos + 3] & 0xff);
            if (itemType == 0x21) {
                scu.results.put(reply[pos + 4] & 0xff, reply[pos + 6] & 0xff);
            }
            pos += 4 + length;
        }
        return scu;
    }

    int result(int contextId) {
        return results.getOrDefault(contextId, -1);
    }

    /** Sends a C-STORE-RQ with {@code dataSet} as its data set and returns the response status. */
    Status store(int contextId, String sopClassUid, String sopInstanceUid, byte[] dataSet) throws Exception {
        byte[] command = new CStoreRequestCommandMessage(sopClassUid, sopInstanceUid, null, ++messageId).getBytes();
        return storeWithCommand(contextId, command, dataSet);
    }

    /**
     * A C-STORE-RQ command set built field by field, so a test can leave fields out: null UIDs are omitted.
     * Implicit VR little endian, with its group length (PS3.7 E.1).
     */
    static byte[] storeCommand(String sopClassUid, String sopInstanceUid, int messageId) throws Exception {
        AttributeList list = new AttributeList();
        if (sopClassUid != null) {
            put(list, new com.pixelmed.dicom.UniqueIdentifierAttribute(TagFromName.AffectedSOPClassUID), sopClassUid);
        }
        put(list, new com.pixelmed.dicom.UnsignedShortAttribute(TagFromName.CommandField), "1");
        put(list, new com.pixelmed.dicom.UnsignedShortAttribute(TagFromName.MessageID), Integer.toString(messageId));
        put(list, new com.pixelmed.dicom.UnsignedShortAttribute(TagFromName.Priority), "0");
        put(list, new com.pixelmed.dicom.UnsignedShortAttribute(TagFromName.CommandDataSetType), "1");
        if (sopInstanceUid != null) {
            put(list, new com.pixelmed.dicom.UniqueIdentifierAttribute(TagFromName.AffectedSOPInstanceUID), sopInstanceUid);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        list.write(new com.pixelmed.dicom.DicomOutputStream(body, null, TransferSyntax.ImplicitVRLittleEndian));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(all);
        o.write(new byte[] {0, 0, 0, 0, 4, 0, 0, 0});
        o.writeInt(Integer.reverseBytes(body.size()));
        o.write(body.toByteArray());
        return all.toByteArray();
    }

    private static void put(AttributeList list, Attribute a, String value) throws Exception {
        a.addValue(value);
        list.put(a);
    }

    /** Sends {@code command} and {@code dataSet} as one C-STORE and returns the response status. */
    Status storeWithCommand(int contextId, byte[] command, byte[] dataSet) throws Exception {
        pdata(contextId, command, 0x03);
        int offset = 0;
        do {
            int length = Math.min(16000, dataSet.length - offset);
            boolean last = offset + length == dataSet.length;
            pdata(contextId, java.util.Arrays.copyOfRange(dataSet, offset, offset + length), last ? 0x02 : 0x00);
            offset += length;
        } while (offset < dataSet.length);
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        byte[] pdu = new byte[in.readInt()];
        in.readFully(pdu);
        if (type != 0x04) {
            throw new IOException("expected P-DATA-TF with the response, got PDU type " + type);
        }
        byte[] commandBytes = java.util.Arrays.copyOfRange(pdu, 6, pdu.length);
        AttributeList rsp = new AttributeList();
        rsp.read(new DicomInputStream(new ByteArrayInputStream(commandBytes), TransferSyntax.ImplicitVRLittleEndian, false));
        return new Status(Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.Status, -1),
                Attribute.getSingleStringValueOrNull(rsp, TagFromName.ErrorComment));
    }

    /** Sends one command fragment that is not the last: a command set that never ends. */
    void commandFragment(int contextId, byte[] value) throws IOException {
        pdata(contextId, value, 0x01);
    }

    /**
     * Starts a P-DATA-TF PDU announcing a command fragment, then sends its bytes one every
     * {@code intervalMillis}; true as soon as the peer aborts or closes, false after {@code bytes} bytes.
     */
    boolean dripPdu(int intervalMillis, int bytes) throws IOException, InterruptedException {
        out.write(new byte[] {0x04, 0, 0, 0, 0, 100});
        out.flush();
        // A well-formed PDV (96 bytes: context 1, last command fragment) begun one byte at a time, so that
        // only the deadline, never a framing error, can end it.
        byte[] pdv = new byte[100];
        pdv[3] = 96;
        pdv[4] = 1;
        pdv[5] = 0x03;
        for (int i = 0; i < Math.min(bytes, pdv.length); i++) {
            if (closedByPeerWithin(intervalMillis)) {
                return true;
            }
            try {
                out.write(pdv[i]);
                out.flush();
            } catch (IOException closed) {
                return true;
            }
        }
        return closedByPeerWithin(intervalMillis);
    }

    /** Waits up to {@code millis} for the peer to abort or close; true when it did. */
    boolean closedByPeerWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (true) {
                int type = in.read();
                if (type < 0 || type == 0x07) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            pdu(0x05, new byte[4]);
            in.readUnsignedByte(); // A-RELEASE-RP
        } catch (IOException ignored) {
            // the gateway may already have closed
        }
        socket.close();
    }

    private void pdata(int contextId, byte[] value, int header) throws IOException {
        ByteArrayOutputStream pdv = new ByteArrayOutputStream();
        DataOutputStream p = new DataOutputStream(pdv);
        p.writeInt(value.length + 2);
        p.writeByte(contextId);
        p.writeByte(header);
        p.write(value);
        pdu(0x04, pdv.toByteArray());
    }

    private void pdu(int type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeByte(0);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    private static void item(DataOutputStream o, int type, String uid) throws IOException {
        writeItem(o, type, uid.getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeItem(DataOutputStream o, int type, byte[] value) throws IOException {
        o.writeByte(type);
        o.writeByte(0);
        o.writeShort(value.length);
        o.write(value);
    }
}
