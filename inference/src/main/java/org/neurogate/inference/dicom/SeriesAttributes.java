package org.neurogate.inference.dicom;

import java.util.List;

/**
 * The series-level attributes that role rules and reports read (PS3.3 C.7.3.1, C.8.3.1, C.8.13.1).
 *
 * @param intensityNormalised the scanner removed receive-coil shading (Siemens prescan normalise, NORM)
 */
public record SeriesAttributes(String seriesInstanceUid, String seriesDescription, String modality,
                               List<String> imageType, String scanningSequence, String acquisitionContrast,
                               String mrAcquisitionType, Double repetitionTime, Double echoTime,
                               Double inversionTime, String sopClassUid, String transferSyntaxUid,
                               boolean intensityNormalised) {
    public SeriesAttributes {
        imageType = imageType == null ? List.of() : List.copyOf(imageType);
    }
}
