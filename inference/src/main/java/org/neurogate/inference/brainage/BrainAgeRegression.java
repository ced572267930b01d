package org.neurogate.inference.brainage;

import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.image.LinearAlgebra;
import org.neurogate.inference.models.BrainAgeFit;

/**
 * Fits the brain-age model: ridge regression of age on standardised ICV fractions. The small ridge
 * keeps correlated volumes (grey matter and CSF move together with age) from trading huge opposite
 * weights.
 */
public final class BrainAgeRegression {

    static final double RIDGE = 0.5;
    static final List<String> FEATURES = List.of("grey_matter_icv", "white_matter_icv", "csf_icv", "ventricles_icv",
            "hippocampi_per_litre_icv");

    private BrainAgeRegression() {
    }

    public static BrainAgeFit fit(List<float[]> features, List<Double> ages, String training) {
        List<float[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i) != null) {
                x.add(features.get(i));
                y.add(ages.get(i));
            }
        }
        int n = x.size();
        int p = FEATURES.size();
        if (n < p + 5) {
            throw new IllegalArgumentException("a brain-age fit needs at least " + (p + 5) + " subjects with a T1, has " + n);
        }
        double[] mean = new double[p];
        double[] scale = new double[p];
        for (float[] row : x) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j] / (double) n;
            }
        }
        for (float[] row : x) {
            for (int j = 0; j < p; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < p; j++) {
            scale[j] = Math.sqrt(scale[j]);
        }
        double meanAge = y.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double[][] ata = new double[p][p];
        double[] atb = new double[p];
        for (int i = 0; i < n; i++) {
            double[] z = standard(x.get(i), mean, scale);
            for (int a = 0; a < p; a++) {
                atb[a] += z[a] * (y.get(i) - meanAge);
                for (int b = 0; b < p; b++) {
                    ata[a][b] += z[a] * z[b];
                }
            }
        }
        for (int a = 0; a < p; a++) {
            ata[a][a] += RIDGE;
        }
        double[] w = LinearAlgebra.solve(ata, atb);
        double residual = 0;
        for (int i = 0; i < n; i++) {
            double[] z = standard(x.get(i), mean, scale);
            double predicted = meanAge;
            for (int a = 0; a < p; a++) {
                predicted += w[a] * z[a];
            }
            residual += (predicted - y.get(i)) * (predicted - y.get(i));
        }
        double sd = Math.sqrt(residual / (n - p - 1));
        return new BrainAgeFit(FEATURES, mean, scale, w, meanAge, sd, training);
    }

    private static double[] standard(float[] row, double[] mean, double[] scale) {
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            z[j] = (row[j] - mean[j]) / scale[j];
        }
        return z;
    }
}
