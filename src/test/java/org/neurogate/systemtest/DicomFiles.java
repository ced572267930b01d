package org.neurogate.systemtest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Small readers for Part 10 files in tests. */
final class DicomFiles {

    private DicomFiles() {
    }

    /** The bytes after the File Meta Information group: the data set exactly as it was transferred. */
    static byte[] dataSetBytes(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 144 || all[128] != 'D' || all[129] != 'I' || all[130] != 'C' || all[131] != 'M') {
            throw new IOException(file + " is not a Part 10 file");
        }
        // (0002,0000) UL is the first meta element: tag 4, VR 2, length 2, value 4 (PS3.10 7.1).
        long groupLength = Integer.toUnsignedLong(ByteBuffer.wrap(all, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        return Arrays.copyOfRange(all, (int) (144 + groupLength), all.length);
    }

    static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        list.read(file.toFile());
        return list;
    }

    static String string(Path file, AttributeTag tag) throws Exception {
        return Attribute.getSingleStringValueOrNull(read(file), tag);
    }

    /** Where the gateway keeps an instance: instances/<study>/<series>/<sop>.dcm under its data directory. */
    static Path storedPath(Path dataDir, Path original) throws Exception {
        AttributeList list = read(original);
        return dataDir.resolve("instances")
                .resolve(Attribute.getSingleStringValueOrNull(list, TagFromName.StudyInstanceUID))
                .resolve(Attribute.getSingleStringValueOrNull(list, TagFromName.SeriesInstanceUID))
                .resolve(Attribute.getSingleStringValueOrNull(list, TagFromName.SOPInstanceUID) + ".dcm");
    }

    /** A copy of {@code file} changed by {@code change}, written as explicit VR little endian to {@code out}. */
    static Path mutate(Path file, Path out, java.util.function.Consumer<AttributeList> change) throws Exception {
        AttributeList list = read(file);
        change.accept(list);
        list.removeGroupLengthAttributes();
        list.remove(TagFromName.TransferSyntaxUID);
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(list,
                com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "TESTSCU");
        java.nio.file.Files.createDirectories(out.getParent());
        list.write(out.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }

    /** Replaces (or adds) a string attribute's values in {@code list}. */
    static void set(AttributeList list, AttributeTag tag, String... values) {
        try {
            Attribute a = list.get(tag);
            if (a == null) {
                a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag,
                        com.pixelmed.dicom.DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag));
                list.put(a);
            }
            a.removeValues();
            for (String v : values) {
                a.addValue(v);
            }
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of an Encapsulated PDF instance's document, as PDFBox extracts it. */
    static String pdfText(Path object) throws Exception {
        AttributeList list = new AttributeList();
        list.read(object.toFile());
        byte[] bytes = list.get(TagFromName.EncapsulatedDocument).getByteValues();
        int length = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.EncapsulatedDocumentLength, bytes.length);
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(Arrays.copyOf(bytes, length))) {
            return new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
        }
    }
}
