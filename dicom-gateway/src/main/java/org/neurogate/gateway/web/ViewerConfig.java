package org.neurogate.gateway.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The web report viewer. */
@ConfigMapping(prefix = "neurogate.viewer")
public interface ViewerConfig {
    /**
     * Studies whose volumes stay in memory for key images and the slice scroller (about 50-150 MB
     * each). Env: NEUROGATE_VIEWER_CACHED_STUDIES.
     */
    @WithDefault("3")
    int cachedStudies();

    /** Worklist rows per page. Env: NEUROGATE_VIEWER_PAGE_SIZE. */
    @WithDefault("50")
    int pageSize();

    /**
     * The organisation named in the Verifying Observer Sequence of signed reports. When unset, the
     * study's InstitutionName, else "NeuroGate". Env: NEUROGATE_VIEWER_VERIFYING_ORGANIZATION.
     */
    Optional<String> verifyingOrganization();
}
