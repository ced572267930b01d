package org.neurogate.inference.roles;

/** What a series is for in the analyses. */
public enum SeriesRole {
    T1, FLAIR, DWI_B0, DWI_B1000, ADC, OTHER
}
