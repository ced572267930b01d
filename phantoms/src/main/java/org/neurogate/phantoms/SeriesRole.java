package org.neurogate.phantoms;

/** The contrasts of a phantom study; the name is used in truth file names (labels_t1.nii.gz). */
public enum SeriesRole {
    T1("t1"), FLAIR("flair"), DWI("dwi"), ADC("adc");

    public final String fileName;

    SeriesRole(String fileName) {
        this.fileName = fileName;
    }
}
