package org.neurogate.reports;

/**
 * The device that made the results (Enhanced General Equipment, Contributing Equipment).
 *
 * @param deviceSerialNumber this installation's identifier, so a PACS can tell sites apart
 */
public record Equipment(String manufacturer, String modelName, String deviceSerialNumber, String softwareVersion) {
    public Equipment {
        for (String value : new String[] {manufacturer, modelName, deviceSerialNumber, softwareVersion}) {
            if (value == null || value.isBlank() || value.length() > 64) {
                throw new IllegalArgumentException("equipment fields are required LO values of 1-64 characters");
            }
        }
    }

    public static Equipment neurogate(String installation, String version) {
        return new Equipment("NeuroGate", "NeuroGate brain MRI analysis", installation, version);
    }
}
