package org.neurogate.inference.dicom;

/**
 * Why a series cannot become a volume, with the numbers that show it. The series is then "not
 * analysable: reason", and no analysis runs on it.
 */
public record QcFailure(Reason reason, String detail) {

    public enum Reason {
        NON_UNIFORM_SLICE_SPACING("non-uniform slice spacing"),
        MIXED_ORIENTATIONS("mixed slice orientations"),
        MISSING_SLICES("missing slices"),
        TOO_FEW_SLICES("too few slices (localizer?)"),
        MIXED_MATRIX("slices of different sizes"),
        UNSUPPORTED_PHOTOMETRIC_INTERPRETATION("unsupported photometric interpretation"),
        UNDECODABLE_TRANSFER_SYNTAX("transfer syntax cannot be decoded"),
        MISSING_GEOMETRY("no patient geometry"),
        UNREADABLE("unreadable object"),
        /** Presentation states, key-object notes, private non-image objects: nothing to analyse, nothing wrong. */
        NOT_AN_IMAGE("not an image series");

        public final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    public String describe() {
        return reason == Reason.NOT_AN_IMAGE ? reason.label + ": " + detail : "not analysable: " + reason.label + ": " + detail;
    }
}
