package org.neurogate.inference.longitudinal;

/**
 * Annual volume change of healthy ageing, and the rates beyond it that a report flags. The flags sit
 * between the healthy and the disease ranges of the literature, so a flagged rate is one that healthy
 * older adults rarely show; they are not diagnostic cut-offs.
 */
public final class AtrophyNorms {

    /**
     * Hippocampus: about 1-1.5 %/year loss in healthy older adults against 3-5 %/year in MCI and AD
     * (Barnes J et al., Neurobiol Aging 2009;30:1711-1723, meta-analysis: controls 1.41 %/year,
     * AD 4.66 %/year). Flagged from 2.5 %/year loss.
     */
    public static final double HIPPOCAMPUS_FLAG_LOSS_PCT = 2.5;
    public static final String HIPPOCAMPUS_NORMAL = "healthy ageing about 1-1.5 %/year loss; MCI/AD 3-5 %/year";

    /**
     * Whole brain: 0.2-0.5 %/year loss in healthy older adults against 1-3 %/year in AD (Fox NC, Schott
     * JM, Lancet 2004;363:392-394). Flagged from 1 %/year loss.
     */
    public static final double WHOLE_BRAIN_FLAG_LOSS_PCT = 1.0;
    public static final String WHOLE_BRAIN_NORMAL = "healthy ageing about 0.2-0.5 %/year loss; AD 1-3 %/year";

    /**
     * Grey matter: cortical loss of healthy ageing is of the order of the whole brain's, up to about
     * 0.5-0.7 %/year after 60 (Fotenos AF et al., Neurology 2005;64:1032-1039 for whole brain; Fjell AM
     * et al., Cereb Cortex 2009;19:2001-2012 for cortex). Flagged from 1 %/year loss.
     */
    public static final double GREY_MATTER_FLAG_LOSS_PCT = 1.0;
    public static final String GREY_MATTER_NORMAL = "healthy ageing up to about 0.5-0.7 %/year loss";

    /**
     * ICV is fixed in adults: two scans of one adult whose ICVs differ by more than this were acquired or
     * segmented differently, and the differences of every other volume are not atrophy.
     */
    public static final double ICV_TOLERANCE_PCT = 3.0;

    /**
     * Rates over shorter intervals are dominated by the measurement's own scan-rescan error (about 1-2 %
     * for hippocampal volume), so they are not reported; changes are.
     */
    public static final double MIN_RATE_INTERVAL_YEARS = 0.5;

    private AtrophyNorms() {
    }
}
