package org.neurogate.inference.volumetry;

import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.analysis.Findings;

/**
 * A risk score for MCI-like atrophy: the probability (in %) that the normative z-scores came from
 * the MCI rather than the control distribution, with equal prior odds. Each factor is a normal
 * shift-of-mean likelihood ratio, log LR = mu z - mu^2 / 2 with unit variance:
 * <ul>
 *   <li>mean hippocampal z: mu = -1.4. MCI hippocampi are 11-13 % smaller than controls' (Shi et al.,
 *       Hippocampus 2009;19:1055-1064), and one normative standard deviation is about 8.5 % of the
 *       median (NiChart 5th-95th centiles).</li>
 *   <li>grey matter z: mu = -0.3 (a few per cent of cortical volume).</li>
 * </ul>
 * The contributions are reported as the factors that drive the score, largest first.
 */
public final class MciRisk {

    static final double HIPPOCAMPAL_SHIFT = -1.4;
    static final double GREY_MATTER_SHIFT = -0.3;

    /** @param scorePct 0-100 */
    public record Result(double scorePct, List<Findings.RiskFactor> factors) {
    }

    private MciRisk() {
    }

    public static Result score(double hippocampusLeftZ, double hippocampusRightZ, double greyMatterZ) {
        List<Findings.RiskFactor> factors = new ArrayList<>();
        double hippocampusZ = (hippocampusLeftZ + hippocampusRightZ) / 2;
        factors.add(factor("hippocampal volume", hippocampusZ, HIPPOCAMPAL_SHIFT));
        factors.add(factor("grey matter volume", greyMatterZ, GREY_MATTER_SHIFT));
        double logOdds = factors.stream().mapToDouble(Findings.RiskFactor::logOddsContribution).sum();
        factors.sort((a, b) -> Double.compare(b.logOddsContribution(), a.logOddsContribution()));
        return new Result(100 / (1 + Math.exp(-logOdds)), factors);
    }

    private static Findings.RiskFactor factor(String name, double z, double mu) {
        return new Findings.RiskFactor(name, z, mu * z - mu * mu / 2);
    }
}
