package org.neurogate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatientIdentityTest {

    private static ReceivedInstance.PatientAttributes p(String id, String issuer, String name, String birth) {
        return new ReceivedInstance.PatientAttributes(id, issuer, name, birth, "F");
    }

    @Test
    void theSamePatientWrittenTwoWaysAgrees() {
        assertEquals(List.of(), PatientIdentity.differences(p("123", "HOSP", "DOE^JANE^^^", "19600101"),
                p("123", "HOSP", "Doe^Jane", "19600101")));
        assertEquals(List.of(), PatientIdentity.differences(p("123", null, "DOE^JANE", null),
                p("123", "", "DOE^JANE", "19600101")), "a missing value does not contradict");
    }

    @Test
    void anyContradictionIsNamed() {
        assertEquals(List.of("PatientID"), PatientIdentity.differences(p("123", null, "A^B", null), p("124", null, "A^B", null)));
        assertEquals(List.of("IssuerOfPatientID"), PatientIdentity.differences(p("1", "A", null, null), p("1", "B", null, null)));
        assertEquals(List.of("PatientName", "PatientBirthDate"), PatientIdentity.differences(
                p("1", null, "DOE^JANE", "19600101"), p("1", null, "DOE^JOHN", "19600102")));
        assertEquals(List.of("PatientID"), PatientIdentity.differences(p(null, null, null, null), p("1", null, null, null)),
                "an ID where none was stored is another patient");
    }

    @Test
    void namesAreNormalisedPerComponentGroup() {
        assertEquals("DOE^JANE=YAMADA^TARO", PatientIdentity.name(" doe^jane^^=Yamada^Taro^ ="));
        assertEquals("", PatientIdentity.name(null));
    }
}
