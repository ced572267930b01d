package org.neurogate.inference.brainage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;

/**
 * The published 2D-projection brain-age networks through ONNX Runtime, fed the known-answer projections
 * of the Philips T1 (a 41-year-old man) made in the private Python check: every one of the 15 networks
 * must give PyTorch's answer within 0.01 y (../shared/data/models-brainage-2dproj-onnx/FACTS.md).
 */
class ProjectionEnsembleReferenceTest {

    @Test
    void everyNetworkReproducesTheReferenceAgesWithinAHundredthOfAYear() throws Exception {
        Path folder = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data", "models-brainage-2dproj-onnx");
        assumeTrue(Files.isDirectory(folder), folder.toAbsolutePath() + " is absent; skipping");
        JsonNode reference = new ObjectMapper().readTree(folder.resolve("reference_philips_t1_predictions.json").toFile());
        Map<ProjectionRecipe.Direction, float[]> projections = new EnumMap<>(ProjectionRecipe.Direction.class);
        for (ProjectionRecipe.Direction d : ProjectionRecipe.Direction.values()) {
            Npy.Array a = Npy.read(folder.resolve("reference_philips_t1_projections_" + d.fileName + ".npy"));
            assertArrayEquals(new int[] {ProjectionRecipe.CHANNELS, 218, 218}, a.shape());
            projections.put(d, a.values());
        }
        ProjectionEnsemble ensemble = ProjectionEnsemble.inFolder(folder);
        assertEquals(15, ensemble.members().size());
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            ProjectionEnsemble.Prediction p = ensemble.predict(engine, projections, reference.path("sex").asInt() == 1);
            double sum = 0;
            int n = 0;
            for (ProjectionEnsemble.Member m : ensemble.members()) {
                double expected = reference.path("predicted_age_years_by_fold").path(m.direction().fileName)
                        .get(m.fold() - 1).asDouble();
                assertEquals(expected, p.byMember().get(m.name()), 0.01, m.name());
                sum += expected;
                n++;
            }
            assertEquals(sum / n, p.meanYears(), 0.01);
            System.out.printf("Philips T1 (41 y, male), reference projections: ensemble %.2f y, SD %.2f y across 15%n",
                    p.meanYears(), p.sdYears());
        }
    }
}
