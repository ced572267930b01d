package org.neurogate.persistence;

/** Assembly state of a series; see {@link InstanceCatalog#completeStableSeries}. */
public enum SeriesState {
    /** Instances are still arriving, or arrived within the stable time. */
    RECEIVING,
    /** No instance arrived for the stable time; an MR series then has a queued analysis job. */
    COMPLETE
}
