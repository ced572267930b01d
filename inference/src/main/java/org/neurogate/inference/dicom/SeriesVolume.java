package org.neurogate.inference.dicom;

import org.neurogate.inference.volume.Volume;

/** What a series (or one b-value of it) became: a volume, or the reason it is not analysable. */
public sealed interface SeriesVolume {

    SeriesAttributes attributes();

    /** The b-value this volume was split out by, or null for a series without diffusion weighting. */
    Double bValue();

    /**
     * @param framesPerSlice frames averaged into each slice (several diffusion directions at one b-value)
     */
    record Analysable(SeriesAttributes attributes, Double bValue, Volume volume, int framesPerSlice)
            implements SeriesVolume {
    }

    record NotAnalysable(SeriesAttributes attributes, Double bValue, QcFailure failure) implements SeriesVolume {
    }
}
