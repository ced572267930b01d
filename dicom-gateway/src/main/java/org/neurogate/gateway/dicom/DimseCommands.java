package org.neurogate.gateway.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** DIMSE command sets (PS3.7 section 9 and E), always implicit VR little endian, read and written with PixelMed. */
public final class DimseCommands {

    public static final int C_STORE_RQ = 0x0001;
    public static final int C_STORE_RSP = 0x8001;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    /** CommandDataSetType value meaning "no data set follows". */
    public static final int NO_DATA_SET = 0x0101;

    private static final AttributeTag COMMAND_GROUP_LENGTH = new AttributeTag(0x0000, 0x0000);

    private DimseCommands() {
    }

    /** A received request command, reduced to what an SCP acts on. */
    public record Request(int commandField, int messageId, String affectedSopClassUid,
                          String affectedSopInstanceUid, boolean hasDataSet) {
    }

    public static Request parse(byte[] commandSet) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(new DicomInputStream(new ByteArrayInputStream(commandSet),
                    TransferSyntax.ImplicitVRLittleEndian, false));
        } catch (DicomException e) {
            throw new IOException("unreadable command set: " + e.getMessage(), e);
        }
        return new Request(
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandField, -1),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.MessageID, 0),
                Attribute.getSingleStringValueOrNull(list, TagFromName.AffectedSOPClassUID),
                Attribute.getSingleStringValueOrNull(list, TagFromName.AffectedSOPInstanceUID),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET);
    }

    /** The response to {@code request}: C-STORE-RSP or C-ECHO-RSP with the given status. */
    public static byte[] response(Request request, DimseStatus status) {
        try {
            AttributeList list = new AttributeList();
            putUid(list, TagFromName.AffectedSOPClassUID, request.affectedSopClassUid());
            putShort(list, TagFromName.CommandField, request.commandField() | 0x8000);
            putShort(list, TagFromName.MessageIDBeingRespondedTo, request.messageId());
            putShort(list, TagFromName.CommandDataSetType, NO_DATA_SET);
            putShort(list, TagFromName.Status, status.code());
            if (request.commandField() == C_STORE_RQ) {
                putUid(list, TagFromName.AffectedSOPInstanceUID, request.affectedSopInstanceUid());
            }
            if (status.errorComment() != null && !status.errorComment().isEmpty()) {
                LongStringAttribute comment = new LongStringAttribute(TagFromName.ErrorComment);
                comment.addValue(status.errorComment());
                list.put(comment);
            }
            byte[] body = encode(list);
            UnsignedLongAttribute groupLength = new UnsignedLongAttribute(COMMAND_GROUP_LENGTH);
            groupLength.addValue(body.length);
            AttributeList withLength = new AttributeList();
            withLength.put(groupLength);
            byte[] head = encode(withLength);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("cannot encode a DIMSE response", e);
        }
    }

    private static byte[] encode(AttributeList list) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void putUid(AttributeList list, AttributeTag tag, String uid) throws DicomException {
        if (uid != null) {
            Attribute a = new UniqueIdentifierAttribute(tag);
            a.addValue(uid);
            list.put(a);
        }
    }

    private static void putShort(AttributeList list, AttributeTag tag, int value) throws DicomException {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
