package org.neurogate.gateway.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.CStoreRequestCommandMessage;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class DimseCommandsTest {

    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";

    @Test
    void parsesAStoreRequestBuiltByPixelMed() throws Exception {
        byte[] rq = new CStoreRequestCommandMessage(MR, "1.2.3.4").getBytes();
        DimseCommands.Request request = DimseCommands.parse(rq);
        assertEquals(DimseCommands.C_STORE_RQ, request.commandField());
        assertEquals(true, request.messageId() > 0, "PixelMed numbers its messages");
        assertEquals(MR, request.affectedSopClassUid());
        assertEquals("1.2.3.4", request.affectedSopInstanceUid());
        assertEquals(true, request.hasDataSet());
    }

    @Test
    void failureResponseCarriesStatusCommentAndCorrectGroupLength() throws Exception {
        DimseCommands.Request request = new DimseCommands.Request(DimseCommands.C_STORE_RQ, 9, MR, "1.2.3.4", true);
        byte[] bytes = DimseCommands.response(request, DimseStatus.failure(0xA900, "SOP Class UID differs"));
        AttributeList rsp = read(bytes);
        assertEquals(0x8001, Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.CommandField, 0));
        assertEquals(9, Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.MessageIDBeingRespondedTo, 0));
        assertEquals(0xA900, Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.Status, 0));
        assertEquals("SOP Class UID differs", Attribute.getSingleStringValueOrNull(rsp, TagFromName.ErrorComment));
        assertEquals("1.2.3.4", Attribute.getSingleStringValueOrNull(rsp, TagFromName.AffectedSOPInstanceUID));
        // Group length counts every byte after the 12-byte group length element itself.
        assertEquals(bytes.length - 12, Attribute.getSingleIntegerValueOrDefault(rsp, new AttributeTag(0, 0), -1));
    }

    @Test
    void successEchoResponseHasNoComment() throws Exception {
        DimseCommands.Request echo = new DimseCommands.Request(DimseCommands.C_ECHO_RQ, 1, "1.2.840.10008.1.1", null, false);
        AttributeList rsp = read(DimseCommands.response(echo, DimseStatus.SUCCESS));
        assertEquals(0x8030, Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.CommandField, 0));
        assertEquals(0, Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.Status, -1));
        assertNull(rsp.get(TagFromName.ErrorComment));
    }

    @Test
    void errorCommentIsCutTo64CharactersWithoutControlCharacters() {
        DimseStatus status = DimseStatus.failure(0xC000, "x\\y\n" + "z".repeat(100));
        assertEquals(64, status.errorComment().length());
        assertEquals("x y", status.errorComment().substring(0, 3));
    }

    private static AttributeList read(byte[] bytes) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(bytes), TransferSyntax.ImplicitVRLittleEndian, false));
        return list;
    }
}
