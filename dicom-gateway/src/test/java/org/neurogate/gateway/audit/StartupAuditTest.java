package org.neurogate.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupAuditTest {

    @Test
    void changesNameWhatDifferedWasAddedAndWasRemoved() {
        Map<String, String> before = Map.of("a", "1", "b", "2", "c", "3");
        Map<String, String> now = Map.of("a", "1", "b", "9", "d", "4");
        assertEquals("changed: b; added: d; removed: c", StartupAudit.changes(before, now));
        assertEquals("", StartupAudit.changes(before, before));
    }
}
