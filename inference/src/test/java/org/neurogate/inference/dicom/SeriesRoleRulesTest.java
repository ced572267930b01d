package org.neurogate.inference.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.roles.SeriesRole;
import org.neurogate.inference.roles.SeriesRoleRules;

/** Role rules read DICOM attributes, in order, and a site can replace them. */
class SeriesRoleRulesTest {

    @Test
    void defaultsUseAttributesNotNames() {
        SeriesRoleRules rules = SeriesRoleRules.defaults();
        assertEquals(SeriesRole.FLAIR, rules.classify(attrs("Ax T2 dark fluid", List.of("ORIGINAL"), "", 9000.0, 2500.0), null));
        assertEquals(SeriesRole.T1, rules.classify(attrs("sag 3d", List.of("ORIGINAL"), "3D", 7.0, null), null));
        assertEquals(SeriesRole.DWI_B1000, rules.classify(attrs("ep2d_diff", List.of("ORIGINAL", "DIFFUSION"), "2D", 5000.0, null), 1000.0));
        assertEquals(SeriesRole.DWI_B0, rules.classify(attrs("ep2d_diff", List.of("ORIGINAL", "DIFFUSION"), "2D", 5000.0, null), 0.0));
        assertEquals(SeriesRole.OTHER, rules.classify(attrs("localizer", List.of("ORIGINAL", "LOCALIZER"), "2D", 8.0, null), null));
    }

    @Test
    void aSiteCanSupplyItsOwnRules() throws Exception {
        String json = "[{\"role\": \"FLAIR\", \"descriptionRegex\": \"^DF\"}, {\"role\": \"T1\"}]";
        SeriesRoleRules rules = SeriesRoleRules.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(SeriesRole.FLAIR, rules.classify(attrs("DF axial", List.of(), "", null, null), null));
        assertEquals(SeriesRole.T1, rules.classify(attrs("anything", List.of(), "", null, null), null));
    }

    @Test
    void badRulesAreRefusedWithTheirProblem() {
        Exception unknownField = assertThrows(Exception.class, () -> SeriesRoleRules.fromJson(
                new ByteArrayInputStream("[{\"role\": \"T1\", \"colour\": \"red\"}]".getBytes(StandardCharsets.UTF_8))));
        assertTrue(unknownField.getMessage().contains("colour"), unknownField.getMessage());
        Exception badRegex = assertThrows(Exception.class, () -> SeriesRoleRules.fromJson(
                new ByteArrayInputStream("[{\"role\": \"T1\", \"descriptionRegex\": \"(\"}]".getBytes(StandardCharsets.UTF_8))));
        assertTrue(badRegex.getMessage().contains("Unclosed group") || badRegex.getMessage().contains("("), badRegex.getMessage());
    }

    private static SeriesAttributes attrs(String description, List<String> imageType, String acquisitionType, Double tr,
                                          Double ti) {
        return new SeriesAttributes("1.2.3", description, "MR", imageType, "", "", acquisitionType, tr, 3.0, ti,
                "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.1.2.1", false);
    }
}
