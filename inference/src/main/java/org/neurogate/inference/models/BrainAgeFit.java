package org.neurogate.inference.models;

import java.util.List;

/**
 * A fitted linear brain-age model: age = intercept + sum(weights * (feature - mean) / scale).
 *
 * @param residualSdYears the training residuals' standard deviation: the prediction's uncertainty
 * @param training        what it was fitted on (cohort, seeds, size), for the manifest
 */
public record BrainAgeFit(List<String> features, double[] mean, double[] scale, double[] weights, double intercept,
                          double residualSdYears, String training) {
    public BrainAgeFit {
        int n = features.size();
        if (mean.length != n || scale.length != n || weights.length != n) {
            throw new IllegalArgumentException("one mean, scale and weight per feature");
        }
        features = List.copyOf(features);
        mean = mean.clone();
        scale = scale.clone();
        weights = weights.clone();
    }
}
