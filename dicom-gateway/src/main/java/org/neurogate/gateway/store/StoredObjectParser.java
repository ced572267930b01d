package org.neurogate.gateway.store;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.neurogate.gateway.dicom.DimseStatus;
import org.neurogate.persistence.ReceivedInstance;

/**
 * Reads a spooled Part 10 file back with PixelMed and checks what routing and the catalog rely on.
 * The encoding is walked first to the end of the file ({@link EncodingCheck}), then the attributes
 * are parsed up to the pixel data, so a truncated or malformed object is caught here and never
 * acknowledged. Every accepted SOP class is an image, so Pixel Data is required, and in a native
 * transfer syntax it must hold every pixel that Rows, Columns, Samples, Bits Allocated and Frames
 * promise. The values the catalog files by are checked against their VR ({@link ValueCheck}).
 */
final class StoredObjectParser {

    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final java.util.Set<String> NATIVE = java.util.Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.2", DEFLATED);

    /** PS3.5 9.1: digits and dots, no empty or zero-padded component, at most 64 characters. */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    private StoredObjectParser() {
    }

    /** The instance's identity and attributes, with the storage fields still to be filled in. */
    record ParsedObject(ReceivedInstance.PatientAttributes patient, ReceivedInstance.StudyAttributes study,
                        ReceivedInstance.SeriesAttributes series, String sopClassUid, String sopInstanceUid,
                        Integer instanceNumber) {
    }

    /** Parses and checks the file; the data set starts {@code dataSetOffset} bytes in, after the header we wrote. */
    static ParsedObject parse(Path spooled, long dataSetOffset, StoreRequest request) throws StoreFailure {
        EncodingCheck.PixelElement pixels;
        try {
            pixels = EncodingCheck.check(spooled, dataSetOffset, request.transferSyntaxUid());
        } catch (EncodingCheck.Broken broken) {
            throw new StoreFailure(DimseStatus.INVALID_ENCODING, broken.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new StoreFailure(DimseStatus.CANNOT_UNDERSTAND, "cannot read data set", e);
        }
        if (pixels == null) {
            throw new StoreFailure(DimseStatus.CANNOT_UNDERSTAND, "image without Pixel Data");
        }
        // The walk has already checked every element to the end of the file, pixels included, so the
        // parser stops at the pixel data element instead of decoding what would only be counted.
        AttributeTag pixelTag = new AttributeTag(0x7FE0, pixels.element());
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        long parsedTo;
        try {
            parsedTo = list.read(spooled.toFile(), pixelTag);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new StoreFailure(DimseStatus.CANNOT_UNDERSTAND, "cannot parse data set: " + e.getClass().getSimpleName(), e);
        } catch (StackOverflowError e) {
            // Nesting the walk cannot see (implicit VR sequences of defined length) can still be deep.
            throw new StoreFailure(DimseStatus.INVALID_ENCODING, "sequences nested too deeply to parse");
        }
        // PixelMed logs an element it cannot finish and stops early rather than throwing, so a parse
        // that misread the data set ends somewhere other than just past the pixel data tag the walk
        // found (offsets of a deflated data set count inflated bytes, so that check does not apply to it).
        long pixelTagEnd = dataSetOffset + pixels.offset() + 4;
        if (!DEFLATED.equals(request.transferSyntaxUid()) && parsedTo != pixelTagEnd) {
            throw new StoreFailure(DimseStatus.CANNOT_UNDERSTAND,
                    "data set misread: the parse stopped at byte " + parsedTo + ", the pixel data is at " + (pixelTagEnd - 4));
        }
        for (ValueCheck.Rule uid : ValueCheck.IDENTIFYING_UIDS) {
            Attribute a = list.get(uid.tag());
            if (a != null && a.getVM() > 1) {
                throw new StoreFailure(DimseStatus.MISSING_OR_INVALID_UID, uid.keyword() + " has " + a.getVM()
                        + " values, allows 1");
            }
        }
        String problem = ValueCheck.problem(list);
        if (problem != null) {
            throw new StoreFailure(DimseStatus.INVALID_ATTRIBUTE_VALUE, problem);
        }
        if (NATIVE.contains(request.transferSyntaxUid())) {
            requireAllPixels(list, pixels);
        }
        String sopClass = string(list, TagFromName.SOPClassUID);
        String sopInstance = string(list, TagFromName.SOPInstanceUID);
        if (sopClass == null) {
            throw new StoreFailure(DimseStatus.CANNOT_UNDERSTAND, "no SOP Class UID in data set");
        }
        if (!sopClass.equals(request.affectedSopClassUid()) || !sopClass.equals(request.negotiatedSopClassUid())) {
            throw new StoreFailure(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Class UID differs from the negotiated context");
        }
        requireUid(sopInstance, "SOP Instance UID");
        if (!sopInstance.equals(request.affectedSopInstanceUid())) {
            throw new StoreFailure(DimseStatus.SOP_INSTANCE_UID_MISMATCH, "SOP Instance UID differs from the command");
        }
        String studyUid = string(list, TagFromName.StudyInstanceUID);
        String seriesUid = string(list, TagFromName.SeriesInstanceUID);
        requireUid(studyUid, "Study Instance UID");
        requireUid(seriesUid, "Series Instance UID");
        return new ParsedObject(
                new ReceivedInstance.PatientAttributes(string(list, TagFromName.PatientID),
                        string(list, TagFromName.IssuerOfPatientID), string(list, TagFromName.PatientName),
                        string(list, TagFromName.PatientBirthDate), string(list, TagFromName.PatientSex)),
                new ReceivedInstance.StudyAttributes(studyUid, string(list, TagFromName.StudyDate),
                        string(list, TagFromName.StudyTime), string(list, TagFromName.AccessionNumber),
                        string(list, TagFromName.StudyDescription)),
                new ReceivedInstance.SeriesAttributes(seriesUid, string(list, TagFromName.Modality),
                        integer(list, TagFromName.SeriesNumber), string(list, TagFromName.SeriesDescription)),
                sopClass, sopInstance, integer(list, TagFromName.InstanceNumber));
    }

    /**
     * Native (uncompressed) Pixel Data must be at least Rows x Columns x Samples per Pixel x Frames x
     * Bits Allocated / 8 bytes long (PS3.5 8.1.1); shorter, the image cannot be shown or analysed.
     */
    private static void requireAllPixels(AttributeList list, EncodingCheck.PixelElement pixels) throws StoreFailure {
        if (pixels.element() != 0x0010) {
            return; // float pixel data: its own module, checked by the walk
        }
        if (pixels.encapsulated()) {
            throw new StoreFailure(DimseStatus.INVALID_ENCODING, "Pixel Data encapsulated in a native transfer syntax");
        }
        long rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        long columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        long samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        long bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        long frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        if (rows <= 0 || columns <= 0 || bits <= 0) {
            throw new StoreFailure(DimseStatus.INVALID_ATTRIBUTE_VALUE, "image without Rows, Columns or Bits Allocated");
        }
        long expected = (rows * columns * samples * frames * bits + 7) / 8;
        if (pixels.length() < expected) {
            throw new StoreFailure(DimseStatus.INVALID_ENCODING, "Pixel Data short: " + pixels.length() + " of " + expected + " bytes");
        }
    }

    static boolean isValidUid(String uid) {
        return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
    }

    private static void requireUid(String uid, String name) throws StoreFailure {
        if (!isValidUid(uid)) {
            throw new StoreFailure(DimseStatus.MISSING_OR_INVALID_UID, (uid == null ? "missing " : "invalid ") + name);
        }
    }

    private static String string(AttributeList list, AttributeTag tag) {
        String value = Attribute.getSingleStringValueOrNull(list, tag);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Integer integer(AttributeList list, AttributeTag tag) {
        String value = string(list, tag);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
