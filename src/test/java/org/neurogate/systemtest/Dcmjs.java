package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Our SR and SEGs read by dcmjs, the parser OHIF is built on (src/test/dcmjs/check.js): the SR as a
 * TID 1500 report with image-region SCOORDs, every SEG through dcmjs.adapters against its source series.
 */
final class Dcmjs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Dcmjs() {
    }

    /** The check's findings; fails when dcmjs could not read an object as OHIF would. */
    static JsonNode check(Path sr, List<Path> segs, Path sourceDir) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", TestEnvironment.dcmjsCheck().toString(),
                "--sr", sr.toString(), "--source", sourceDir.toString()));
        for (Path seg : segs) {
            command.add("--seg");
            command.add(seg.toString());
        }
        Dcmtk.Result result = Dcmtk.run(command);
        assertEquals(0, result.exitCode(), result.output());
        JsonNode out = JSON.readTree(result.output());
        assertEquals("1500", out.path("reports").path(0).path("templateIdentifier").asText(), out.toString());
        assertEquals(segs.size(), out.path("segmentations").size());
        for (JsonNode seg : out.path("segmentations")) {
            assertTrue(seg.path("labelledPixels").asInt() > 0, "the SEG drew nothing: " + seg);
        }
        return out;
    }
}
