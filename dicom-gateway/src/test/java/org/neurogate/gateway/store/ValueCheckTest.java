package org.neurogate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

class ValueCheckTest {

    private static String problem(AttributeTag tag, String... values) throws Exception {
        AttributeList list = new AttributeList();
        Attribute a = AttributeFactory.newAttribute(tag, DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag));
        for (String v : values) {
            a.addValue(v);
        }
        list.put(a);
        return ValueCheck.problem(list);
    }

    @Test
    void validValuesPass() throws Exception {
        assertNull(problem(TagFromName.AccessionNumber, "A1234567890123456".substring(0, 16)));
        assertNull(problem(TagFromName.StudyDate, "20240229"));
        assertNull(problem(TagFromName.StudyTime, "235960.123456"));
        assertNull(problem(TagFromName.StudyTime, "07"));
        assertNull(problem(TagFromName.PatientSex, "F"));
        assertNull(problem(TagFromName.SeriesNumber, "+12"));
        assertNull(problem(TagFromName.PatientName, "Doe^Jane=\u001b$B;3ED\u001b(B^\u001b$B2V;R\u001b(B"));
        assertNull(problem(TagFromName.AccessionNumber, ""));
    }

    @Test
    void eachBrokenRuleIsNamed() throws Exception {
        assertEquals("(0008,0050) AccessionNumber longer than 16", problem(TagFromName.AccessionNumber, "12345678901234567"));
        assertEquals("(0010,0030) PatientBirthDate is not a date YYYYMMDD", problem(TagFromName.PatientBirthDate, "1980-05-01"));
        assertEquals("(0008,0020) StudyDate is not a date YYYYMMDD", problem(TagFromName.StudyDate, "20230230"));
        assertEquals("(0008,0030) StudyTime is not a time HHMMSS.FFFFFF", problem(TagFromName.StudyTime, "25:00"));
        assertEquals("(0008,0060) Modality has characters a code string disallows", problem(TagFromName.Modality, "mr"));
        assertEquals("(0020,0011) SeriesNumber is not an integer string", problem(TagFromName.SeriesNumber, "3.5"));
        assertEquals("(0010,0020) PatientID has 2 values, allows 1", problem(TagFromName.PatientID, "1", "2"));
        assertEquals("(0008,1030) StudyDescription contains control characters",
                problem(TagFromName.StudyDescription, "Brain\nFAKE LOG LINE"));
    }
}
