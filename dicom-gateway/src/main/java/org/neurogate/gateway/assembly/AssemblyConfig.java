package org.neurogate.gateway.assembly;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When a series counts as complete. */
@ConfigMapping(prefix = "neurogate")
public interface AssemblyConfig {

    /**
     * A series is complete once no instance of it arrived for this many seconds (Orthanc's "stable
     * age"). Env: NEUROGATE_SERIES_STABLE_SECONDS.
     */
    @WithDefault("10")
    int seriesStableSeconds();
}
