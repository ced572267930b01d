package org.neurogate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAeTitlesTest {

    private static CertificateAeTitles parse(String setting) {
        return CertificateAeTitles.parse(Optional.of(setting)).orElseThrow();
    }

    @Test
    void eachCertificateNameMayCallAsItsOwnAeTitlesOnly() {
        CertificateAeTitles map = parse(" mr1.hospital.org = MR1, MR1_QC ; pacs.hospital.org=PACS;");
        assertEquals(Set.of("MR1", "MR1_QC"), map.byCommonName().get("mr1.hospital.org"));
        assertTrue(map.allows(Optional.of("mr1.hospital.org"), "MR1"));
        assertTrue(map.allows(Optional.of("mr1.hospital.org"), "MR1_QC  "), "AE titles are compared without padding");
        assertFalse(map.allows(Optional.of("mr1.hospital.org"), "PACS"), "a trusted modality cannot send as the PACS");
        assertFalse(map.allows(Optional.of("ct1.hospital.org"), "MR1"), "an unmapped certificate may use none");
        assertFalse(map.allows(Optional.empty(), "MR1"), "no certificate, no AE title");
    }

    @Test
    void anEmptySettingMapsNothingAndAMalformedOneStopsTheStart() {
        assertTrue(CertificateAeTitles.parse(Optional.empty()).isEmpty());
        assertTrue(CertificateAeTitles.parse(Optional.of("  ")).isEmpty());
        assertThrows(IllegalStateException.class, () -> parse("MR1"));
        assertThrows(IllegalStateException.class, () -> parse("=MR1"));
        assertThrows(IllegalStateException.class, () -> parse("mr1="));
        assertThrows(IllegalStateException.class, () -> parse("mr1=MR1,,MR2"));
        assertThrows(IllegalStateException.class, () -> parse("mr1=AN_AE_TITLE_OF_17"));
    }
}
