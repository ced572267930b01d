package org.neurogate.reports;

import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Measurement;

/**
 * A planar ROI measurement group (TID 1410): a key finding outlined on one source image, with the
 * measurement it stands for.
 */
public record ImageRegionGroup(String trackingIdentifier, String trackingUid, CodedConcept finding,
                               ImageRegions.Region region, Measurement measurement) {

    public ImageRegionGroup {
        if (trackingIdentifier == null || trackingIdentifier.isBlank() || trackingIdentifier.length() > 64) {
            throw new IllegalArgumentException("a measurement group needs a tracking identifier of 1-64 characters");
        }
        if (region == null || measurement == null) {
            throw new IllegalArgumentException("an image-region group needs its region and its measurement");
        }
    }
}
