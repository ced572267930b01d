package org.neurogate.gateway.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neurogate.persistence.AnalysisQueue;

/** NEUROGATE_DELIVER: which object kinds go to the PACS, and what a reviewed object is delivered as. */
class DeliveredKindsTest {

    @Test
    void theDefaultDeliversEveryKind() {
        assertEquals(Set.of("SR", "SEG", "PDF", "KEY_IMAGES"), ResultsConfig.deliveredKinds("SR,SEG,PDF,KEY_IMAGES"));
    }

    @Test
    void kindsAreTrimmedAndCaseBlind() {
        assertEquals(List.of("SR", "PDF"), List.copyOf(ResultsConfig.deliveredKinds(" sr , Pdf ,")));
        assertTrue(ResultsConfig.deliveredKinds("").isEmpty(), "nothing to the PACS: results stay in NeuroGate");
    }

    @Test
    void anUnknownKindFailsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsConfig.deliveredKinds("SR,SEGMENTATION"));
        assertTrue(e.getMessage().contains("SEGMENTATION"), e.getMessage());
    }

    @Test
    void reviewedObjectsGoWhereTheirKindGoes() {
        assertEquals("SR", AnalysisQueue.deliveredAs("SIGNED_SR"));
        assertEquals("SR", AnalysisQueue.deliveredAs("REJECTED_SR"));
        assertEquals("PDF", AnalysisQueue.deliveredAs("SIGNED_PDF"));
        assertEquals("PDF", AnalysisQueue.deliveredAs("REJECTED_PDF"));
        assertEquals("KEY_IMAGES", AnalysisQueue.deliveredAs("KEY_IMAGES"));
    }
}
