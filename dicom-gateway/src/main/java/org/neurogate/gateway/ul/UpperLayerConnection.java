package org.neurogate.gateway.ul;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The acceptor side of one DICOM Upper Layer connection (PS3.8 section 9): association negotiation,
 * P-DATA-TF fragmentation, release and abort.
 *
 * <p>PixelMed's own acceptor classes are package-private and acknowledge every stored object itself,
 * so they cannot reject by calling AE title or answer a failure status after an fsync or commit fails.
 * This class owns only the PDU framing; DIMSE command sets are encoded and parsed with PixelMed.
 *
 * <p>Data set fragments are handed to the caller as they arrive, so an instance streams to disk
 * without being held in memory.
 */
public final class UpperLayerConnection implements Closeable {

    /** DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    private static final int A_ASSOCIATE_RQ = 0x01;
    private static final int A_ASSOCIATE_AC = 0x02;
    private static final int A_ASSOCIATE_RJ = 0x03;
    private static final int P_DATA_TF = 0x04;
    private static final int A_RELEASE_RQ = 0x05;
    private static final int A_RELEASE_RP = 0x06;
    private static final int A_ABORT = 0x07;
    /** An A-ASSOCIATE-RQ carries a few hundred bytes per context; anything this large is not DICOM. */
    private static final int MAX_ASSOCIATE_RQ_LENGTH = 1 << 20;
    private static final int COPY_BUFFER_SIZE = 64 * 1024;
    /** A command set is a few hundred bytes; more than this is an attack on our memory, and aborts. */
    static final int MAX_COMMAND_SET_LENGTH = 64 * 1024;

    /**
     * The clocks of one connection (PS3.8 9.1.5 calls the first the ARTIM timer).
     *
     * @param associateRequest from accept until the A-ASSOCIATE-RQ has arrived whole
     * @param idle             waiting for the next PDU to begin (also the longest wait of any one read)
     * @param pdu              from a PDU's first byte to its last
     */
    public record Timeouts(java.time.Duration associateRequest, java.time.Duration idle, java.time.Duration pdu) {
        /** Only for a connection that is rejected at once. */
        public static final Timeouts BRIEF = new Timeouts(java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5));
    }

    private final Socket socket;
    private final TimedInputStream timed;
    private final Timeouts timeouts;
    private final DataInputStream in;
    private final OutputStream out;
    private final int ourMaxPduLength;
    private final byte[] copyBuffer = new byte[COPY_BUFFER_SIZE];
    private long peerMaxPduLength;
    /** Bytes of the current P-DATA-TF PDU not yet read. */
    private long pduRemaining;

    /** A connection just accepted: the A-ASSOCIATE-RQ deadline starts now. */
    public UpperLayerConnection(Socket socket, int ourMaxPduLength, Timeouts timeouts) throws IOException {
        this.socket = socket;
        this.ourMaxPduLength = ourMaxPduLength;
        this.timeouts = timeouts;
        this.timed = new TimedInputStream(socket, (int) timeouts.idle().toMillis());
        timed.arm(timeouts.associateRequest().toMillis(), "A-ASSOCIATE-RQ deadline of " + timeouts.associateRequest());
        this.in = new DataInputStream(new BufferedInputStream(timed, COPY_BUFFER_SIZE));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    public String peerAddress() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    // ---- association establishment (PS3.8 9.3.2 - 9.3.4) ----

    public AssociateRequest readAssociateRequest() throws IOException {
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        long length = Integer.toUnsignedLong(in.readInt());
        if (type != A_ASSOCIATE_RQ) {
            throw new UpperLayerProtocolException("expected A-ASSOCIATE-RQ, got PDU type 0x" + Integer.toHexString(type));
        }
        if (length < 68 || length > MAX_ASSOCIATE_RQ_LENGTH) {
            throw new UpperLayerProtocolException("A-ASSOCIATE-RQ length " + length + " out of range");
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        timed.disarm();
        try {
            AssociateRequest request = parseAssociateRequest(ByteBuffer.wrap(body));
            peerMaxPduLength = request.maxPduLength();
            return request;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new UpperLayerProtocolException("malformed A-ASSOCIATE-RQ: " + e);
        }
    }

    static AssociateRequest parseAssociateRequest(ByteBuffer body) {
        body.getShort(); // protocol version
        body.getShort();
        String called = text(body, 16);
        String calling = text(body, 16);
        body.position(body.position() + 32);
        String applicationContext = null;
        List<PresentationContextProposal> contexts = new ArrayList<>();
        long maxPdu = 0;
        String implementationClassUid = null;
        String implementationVersionName = null;
        while (body.hasRemaining()) {
            int itemType = body.get() & 0xff;
            body.get();
            int itemLength = body.getShort() & 0xffff;
            ByteBuffer item = slice(body, itemLength);
            switch (itemType) {
                case 0x10 -> applicationContext = text(item, itemLength);
                case 0x20 -> contexts.add(parsePresentationContext(item));
                case 0x50 -> {
                    while (item.hasRemaining()) {
                        int subType = item.get() & 0xff;
                        item.get();
                        int subLength = item.getShort() & 0xffff;
                        ByteBuffer sub = slice(item, subLength);
                        switch (subType) {
                            case 0x51 -> maxPdu = Integer.toUnsignedLong(sub.getInt());
                            case 0x52 -> implementationClassUid = text(sub, subLength);
                            case 0x55 -> implementationVersionName = text(sub, subLength);
                            default -> { } // asynchronous operations, role selection, user identity: not used
                        }
                    }
                }
                default -> { }
            }
        }
        return new AssociateRequest(called, calling, applicationContext, contexts, maxPdu,
                implementationClassUid, implementationVersionName);
    }

    private static PresentationContextProposal parsePresentationContext(ByteBuffer item) {
        int id = item.get() & 0xff;
        item.get();
        item.get();
        item.get();
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.hasRemaining()) {
            int subType = item.get() & 0xff;
            item.get();
            int subLength = item.getShort() & 0xffff;
            String uid = text(slice(item, subLength), subLength);
            if (subType == 0x30) {
                abstractSyntax = uid;
            } else if (subType == 0x40) {
                transferSyntaxes.add(uid);
            }
        }
        return new PresentationContextProposal(id, abstractSyntax, transferSyntaxes);
    }

    public void accept(AssociateRequest request, List<PresentationContextResult> results,
                       String implementationClassUid, String implementationVersionName) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        DataOutputStream b = new DataOutputStream(body);
        b.writeShort(1);
        b.writeShort(0);
        b.write(aeTitleField(request.calledAeTitle()));
        b.write(aeTitleField(request.callingAeTitle()));
        b.write(new byte[32]);
        writeItem(b, 0x10, ascii(APPLICATION_CONTEXT));
        for (PresentationContextResult r : results) {
            byte[] ts = ascii(r.transferSyntax() == null ? "" : r.transferSyntax());
            ByteArrayOutputStream pc = new ByteArrayOutputStream();
            DataOutputStream p = new DataOutputStream(pc);
            p.writeByte(r.id());
            p.writeByte(0);
            p.writeByte(r.result());
            p.writeByte(0);
            writeItem(p, 0x40, ts);
            writeItem(b, 0x21, pc.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        DataOutputStream u = new DataOutputStream(user);
        ByteBuffer max = ByteBuffer.allocate(4).putInt(ourMaxPduLength);
        writeItem(u, 0x51, max.array());
        writeItem(u, 0x52, ascii(implementationClassUid));
        writeItem(u, 0x55, ascii(implementationVersionName));
        writeItem(b, 0x50, user.toByteArray());
        writePdu(A_ASSOCIATE_AC, body.toByteArray());
    }

    /**
     * Sends A-ASSOCIATE-RJ (PS3.8 9.3.4).
     *
     * @param result 1 rejected-permanent, 2 rejected-transient
     * @param source 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation)
     * @param reason meaning depends on the source, e.g. 3 calling-AE-title-not-recognized, 7 called-AE-title-not-recognized
     */
    public void reject(int result, int source, int reason) throws IOException {
        writePdu(A_ASSOCIATE_RJ, new byte[] {0, (byte) result, (byte) source, (byte) reason});
    }

    // ---- data transfer (PS3.8 9.3.5) ----

    /** A P-DATA-TF fragment header; its {@code valueLength} bytes must be consumed before the next one. */
    public record PdvHeader(int presentationContextId, boolean command, boolean last, int valueLength) {
    }

    /** A complete DIMSE command set and the presentation context it came on. */
    public record CommandSet(int presentationContextId, byte[] bytes) {
    }

    /** Reads the next complete command set. A release request is answered and surfaces as an exception. */
    public CommandSet readCommand() throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream(256);
        int contextId = -1;
        while (true) {
            PdvHeader pdv = nextPdv();
            if (!pdv.command()) {
                throw new UpperLayerProtocolException("data set fragment where a command was expected");
            }
            if (contextId >= 0 && contextId != pdv.presentationContextId()) {
                throw new UpperLayerProtocolException("command fragments on two presentation contexts");
            }
            contextId = pdv.presentationContextId();
            if (command.size() + (long) pdv.valueLength() > MAX_COMMAND_SET_LENGTH) {
                throw new UpperLayerProtocolException("command set longer than " + MAX_COMMAND_SET_LENGTH + " bytes");
            }
            copyValue(pdv.valueLength(), command);
            if (pdv.last()) {
                return new CommandSet(contextId, command.toByteArray());
            }
        }
    }

    /** Streams the data set that follows a command into {@code sink}; returns its length in bytes. */
    public long readDataSet(int presentationContextId, OutputStream sink) throws IOException {
        long total = 0;
        while (true) {
            PdvHeader pdv = nextPdv();
            if (pdv.command()) {
                throw new UpperLayerProtocolException("command fragment inside a data set");
            }
            if (pdv.presentationContextId() != presentationContextId) {
                throw new UpperLayerProtocolException("data set on context " + pdv.presentationContextId()
                        + ", command was on " + presentationContextId);
            }
            copyValue(pdv.valueLength(), sink);
            total += pdv.valueLength();
            if (pdv.last()) {
                return total;
            }
        }
    }

    /** Sends a command set (no data set follows), fragmented to the peer's maximum PDU length. */
    public void sendCommand(int presentationContextId, byte[] command) throws IOException {
        int maxValue = peerMaxPduLength == 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, peerMaxPduLength - 6);
        if (maxValue <= 0) {
            throw new UpperLayerProtocolException("peer maximum PDU length " + peerMaxPduLength + " too small");
        }
        int offset = 0;
        do {
            int length = Math.min(maxValue, command.length - offset);
            boolean last = offset + length == command.length;
            DataOutputStream o = new DataOutputStream(out);
            o.writeByte(P_DATA_TF);
            o.writeByte(0);
            o.writeInt(length + 6);
            o.writeInt(length + 2);
            o.writeByte(presentationContextId);
            o.writeByte(last ? 0x03 : 0x01);
            o.write(command, offset, length);
            offset += length;
        } while (offset < command.length);
        out.flush();
    }

    /** Sends A-ABORT (PS3.8 9.3.8) and closes; source 0 = service-user, 2 = service-provider. */
    public void abort(int source, int reason) {
        try {
            writePdu(A_ABORT, new byte[] {0, 0, (byte) source, (byte) reason});
        } catch (IOException ignored) {
            // the peer may already be gone; closing is all that is left
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to recover
        }
    }

    private PdvHeader nextPdv() throws IOException {
        while (pduRemaining == 0) {
            // The previous PDU is consumed: wait (idle timeout) for the next one, which must then arrive whole in time.
            timed.disarm();
            int type = in.readUnsignedByte();
            timed.arm(timeouts.pdu().toMillis(), "PDU deadline of " + timeouts.pdu());
            in.readUnsignedByte();
            long length = Integer.toUnsignedLong(in.readInt());
            switch (type) {
                case P_DATA_TF -> {
                    if (length > ourMaxPduLength) {
                        throw new UpperLayerProtocolException("P-DATA-TF of " + length
                                + " bytes exceeds our maximum " + ourMaxPduLength);
                    }
                    pduRemaining = length;
                }
                case A_RELEASE_RQ -> {
                    in.skipNBytes(length);
                    writePdu(A_RELEASE_RP, new byte[4]);
                    close();
                    throw new AssociationReleasedException("released by peer", false);
                }
                case A_ABORT -> {
                    close();
                    throw new AssociationReleasedException("aborted by peer", true);
                }
                default -> throw new UpperLayerProtocolException(
                        "unexpected PDU type 0x" + Integer.toHexString(type) + " during data transfer");
            }
        }
        if (pduRemaining < 6) {
            throw new UpperLayerProtocolException("P-DATA-TF with " + pduRemaining + " bytes left cannot hold a PDV");
        }
        long itemLength = Integer.toUnsignedLong(in.readInt());
        int contextId = in.readUnsignedByte();
        int header = in.readUnsignedByte();
        if (itemLength < 2 || itemLength + 4 > pduRemaining) {
            throw new UpperLayerProtocolException("PDV length " + itemLength + " does not fit its PDU");
        }
        pduRemaining -= itemLength + 4;
        return new PdvHeader(contextId, (header & 0x01) != 0, (header & 0x02) != 0, (int) (itemLength - 2));
    }

    private void copyValue(int length, OutputStream sink) throws IOException {
        int left = length;
        while (left > 0) {
            int n = in.read(copyBuffer, 0, Math.min(copyBuffer.length, left));
            if (n < 0) {
                throw new java.io.EOFException("connection closed inside a PDV");
            }
            sink.write(copyBuffer, 0, n);
            left -= n;
        }
    }

    private void writePdu(int type, byte[] body) throws IOException {
        DataOutputStream o = new DataOutputStream(out);
        o.writeByte(type);
        o.writeByte(0);
        o.writeInt(body.length);
        o.write(body);
        out.flush();
    }

    private static void writeItem(DataOutputStream o, int type, byte[] value) throws IOException {
        o.writeByte(type);
        o.writeByte(0);
        o.writeShort(value.length);
        o.write(value);
    }

    private static ByteBuffer slice(ByteBuffer buffer, int length) {
        if (length > buffer.remaining()) {
            throw new IllegalArgumentException("item of " + length + " bytes overruns its PDU");
        }
        ByteBuffer slice = buffer.slice();
        slice.limit(length);
        buffer.position(buffer.position() + length);
        return slice;
    }

    /** UIDs may be padded with NUL, AE titles with spaces (PS3.8 9.3.2, PS3.5 9.1). */
    private static String text(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) {
            end--;
        }
        int start = 0;
        while (start < end && bytes[start] == ' ') {
            start++;
        }
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] aeTitleField(String aeTitle) {
        byte[] field = new byte[16];
        java.util.Arrays.fill(field, (byte) ' ');
        byte[] ae = ascii(aeTitle == null ? "" : aeTitle);
        System.arraycopy(ae, 0, field, 0, Math.min(16, ae.length));
        return field;
    }
}
