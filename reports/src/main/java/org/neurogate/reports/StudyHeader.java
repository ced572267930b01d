package org.neurogate.reports;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * The Patient and General Study module attributes that results copy from their source images, so
 * the PACS files the SR and SEG with the study they belong to. Type 2 attributes are kept even when
 * empty (present, zero length), as the IODs require.
 */
public final class StudyHeader {

    static final AttributeTag[] COPIED = {TagFromName.SpecificCharacterSet, TagFromName.PatientName,
        TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.PatientAge,
        TagFromName.IssuerOfPatientID, TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime,
        TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber,
        TagFromName.StudyDescription};
    private static final AttributeTag[] TYPE_2 = {TagFromName.PatientName, TagFromName.PatientID,
        TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyDate, TagFromName.StudyTime,
        TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber};

    private StudyHeader() {
    }

    /** The patient and study attributes of {@code source}, a header of any image of the study. */
    public static AttributeList from(AttributeList source) throws DicomException {
        if (Attribute.getSingleStringValueOrNull(source, TagFromName.StudyInstanceUID) == null) {
            throw new IllegalArgumentException("the source image has no Study Instance UID");
        }
        AttributeList out = new AttributeList();
        for (AttributeTag tag : COPIED) {
            Attribute a = source.get(tag);
            if (a != null) {
                out.put(a);
            }
        }
        for (AttributeTag tag : TYPE_2) {
            if (out.get(tag) == null) {
                out.putNewAttribute(tag);
            }
        }
        return out;
    }
}
