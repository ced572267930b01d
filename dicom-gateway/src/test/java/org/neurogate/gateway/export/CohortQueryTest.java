package org.neurogate.gateway.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.ResearchCohort;

/** Cohort queries: parsing, validation, and which studies they select, on studies with known findings. */
class CohortQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thresholdsParse() {
        CohortQuery.Threshold t = CohortQuery.threshold("mci.hippocampus_left_ml.percentile<10");
        assertEquals(new CohortQuery.Threshold("mci", "hippocampus_left_ml", "percentile", "<", 10), t);
        assertEquals("value", CohortQuery.threshold(" lesion.total_volume_ml >= 2.5 ").of());
        assertTrue(t.test(9.99) && !t.test(10));
        for (String bad : List.of("mci<3", "mci.x.median<3", "astrology.x>1", "mci.x>", "mci.x>>1")) {
            assertThrows(IllegalArgumentException.class, () -> CohortQuery.threshold(bad), bad);
        }
    }

    @Test
    void badQueriesNameTheirField() {
        assertMessage("since", new CohortQuery("March", null, null, null, null, null, null, null, null, null, null, null, null));
        assertMessage("until", new CohortQuery("2026-02-01", "2026-01-01", null, null, null, null, null, null, null, null,
                null, null, null));
        assertMessage("unknown analysis", new CohortQuery(null, null, List.of("astrology"), null, null, null, null, null,
                null, null, null, null, null));
        assertMessage("sex", new CohortQuery(null, null, null, null, "X", null, null, null, null, null, null, null, null));
        assertMessage("modelVersion", new CohortQuery(null, null, null, null, null, null, null, null, null, "1.0", null,
                null, null));
        assertThrows(Exception.class, () -> JSON.readValue("{\"sinse\": \"2026-01-01\"}", CohortQuery.class),
                "an unknown field is refused, not ignored");
        assertEquals("20260101", new CohortQuery("2026-01-01", null, null, null, null, null, null, null, null, null, null,
                null, null).validated().sinceDa());
    }

    @Test
    void studiesAreSelectedByAnalysisSexAgeModelAndThreshold() throws Exception {
        ResearchExport.CohortStudy woman = study("F", 71.0, false, List.of(
                row("mci", "hippocampus_left_ml", 2.9, "reference-tissue 0.1.2 (reference-pack)"),
                row("lesion", "total_volume_ml", 12, "diffusion-lesion 0.1.2 (neurogate)")),
                "{\"mci\": {\"norms\": [{\"structure\": \"HIPPOCAMPUS_LEFT\", \"z\": -1.8, \"percentile\": 3.6}]}}");
        ResearchExport.CohortStudy man = study("M", 54.0, true, List.of(
                row("mci", "hippocampus_left_ml", 4.1, "reference-tissue 0.1.2 (reference-pack)")),
                "{\"mci\": {\"norms\": [{\"structure\": \"HIPPOCAMPUS_LEFT\", \"z\": 0.4, \"percentile\": 65}]}}");
        studies = List.of(woman, man);
        assertSelected(query("{}"), true, true);
        assertSelected(query("{\"analyses\": [\"lesion\"]}"), true, false);
        assertSelected(query("{\"notAssessed\": [\"lesion\"]}"), false, true);
        assertSelected(query("{\"sex\": \"M\"}"), false, true);
        assertSelected(query("{\"minAge\": 55, \"maxAge\": 80}"), true, false);
        assertSelected(query("{\"signedOnly\": true}"), false, true);
        assertSelected(query("{\"modelId\": \"diffusion-lesion\", \"modelVersion\": \"0.1.2\"}"), true, false);
        assertSelected(query("{\"modelId\": \"diffusion-lesion\", \"modelVersion\": \"9\"}"), false, false);
        assertSelected(query("{\"where\": [\"mci.hippocampus_left_ml.percentile<10\"]}"), true, false);
        assertSelected(query("{\"where\": [\"mci.hippocampus_left_ml.z>0\"]}"), false, true);
        assertSelected(query("{\"where\": [\"mci.hippocampus_left_ml>3\", \"lesion.total_volume_ml>1\"]}"), false, false);
        List<ResearchExport.Row> rows = ResearchExport.rows(woman);
        assertEquals(3.6, rows.get(0).percentile());
        assertEquals(-1.8, rows.get(0).z());
        assertEquals("reference-tissue", rows.get(0).modelId());
        assertEquals("0.1.2", rows.get(0).modelVersion());
        assertEquals("reference-pack", rows.get(0).modelPack());
    }

    private List<ResearchExport.CohortStudy> studies;

    private void assertSelected(CohortQuery q, boolean woman, boolean man) {
        assertEquals(woman, ResearchExport.matches(q, studies.get(0)), "the woman, " + q);
        assertEquals(man, ResearchExport.matches(q, studies.get(1)), "the man, " + q);
    }

    private static CohortQuery query(String json) throws Exception {
        return JSON.readValue(json, CohortQuery.class).validated();
    }

    private static AnalysisQueue.FindingRow row(String analysis, String name, double value, String method) {
        return new AnalysisQueue.FindingRow("1.2.3", analysis, name, "99NEUROGATE", "X", name, value, "ml", method, "");
    }

    private static ResearchExport.CohortStudy study(String sex, double age, boolean signed,
                                                    List<AnalysisQueue.FindingRow> rows, String findings) throws Exception {
        ResearchCohort.AnalysedStudy s = new ResearchCohort.AnalysedStudy(1, 1, "1.2.3.4", "20260101", "P1", null, "A^B",
                sex, "19500101", "ACC", "MR", findings, signed);
        return new ResearchExport.CohortStudy(s, JSON.readTree(findings), rows, age, sex);
    }

    private static void assertMessage(String expected, CohortQuery q) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, q::validated);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
