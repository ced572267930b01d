package org.neurogate.gateway.dicom;

/**
 * A DIMSE response status with its Error Comment (0000,0902), which PS3.7 limits to 64 characters (LO).
 * The codes are those of C-STORE in PS3.4 B.2.3 and the general ones of PS3.7 C.
 */
public record DimseStatus(int code, String errorComment) {

    public static final DimseStatus SUCCESS = new DimseStatus(0x0000, null);

    /** Refused: Out of Resources (PS3.4 B.2.3): no disk space, or the write failed. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Also "Out of Resources": the database could not record the instance, so it is not acknowledged. */
    public static final int DATABASE_UNAVAILABLE = 0xA701;
    /** Error: Data Set does not match SOP Class (PS3.4 B.2.3). */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Error: Cannot understand (PS3.4 B.2.3, C000-CFFF): the data set could not be parsed. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** Cannot understand: a UID that routing needs is missing or not a valid UID. */
    public static final int MISSING_OR_INVALID_UID = 0xC001;
    /** Cannot understand: the data set's SOP Instance UID is not the one the command announced. */
    public static final int SOP_INSTANCE_UID_MISMATCH = 0xC002;
    /** Cannot understand: a value is malformed or longer than its VR allows; the comment names the attribute. */
    public static final int INVALID_ATTRIBUTE_VALUE = 0xC003;
    /** Cannot understand: the encoding is broken (stray item or delimiter, unknown VR, nesting too deep, short Pixel Data). */
    public static final int INVALID_ENCODING = 0xC004;
    /** Cannot understand: the study is stored under another patient. Never filed, never analysed. */
    public static final int PATIENT_IDENTITY_CONFLICT = 0xC010;
    /** Cannot understand: the Series Instance UID is stored under another study. */
    public static final int SERIES_IN_OTHER_STUDY = 0xC011;
    /** Cannot understand: the SOP Instance UID is stored in another series or study. */
    public static final int SOP_INSTANCE_UID_REUSED = 0xC012;
    /** Refused: SOP Class not supported (PS3.7 C.5.2, PS3.4 B.2.3): the command's class is not the context's. */
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    /** Processing failure (PS3.7 C.4.2): an unexpected error in NeuroGate itself. */
    public static final int PROCESSING_FAILURE = 0x0110;

    private static final int MAX_COMMENT = 64;

    public DimseStatus {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("status code must fit 16 bits: " + code);
        }
        if (errorComment != null) {
            // LO: no backslash or control characters, at most 64 characters.
            errorComment = errorComment.replaceAll("[\\\\\\p{Cntrl}]", " ").strip();
            if (errorComment.length() > MAX_COMMENT) {
                errorComment = errorComment.substring(0, MAX_COMMENT);
            }
        }
    }

    public static DimseStatus failure(int code, String errorComment) {
        return new DimseStatus(code, errorComment);
    }

    public boolean isSuccess() {
        return code == 0x0000;
    }

    public String hex() {
        return String.format("0x%04X", code);
    }
}
