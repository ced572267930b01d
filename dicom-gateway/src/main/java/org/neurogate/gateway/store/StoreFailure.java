package org.neurogate.gateway.store;

import org.neurogate.gateway.dicom.DimseStatus;

/** An instance that must not be acknowledged, with the status that tells the sender why. */
public class StoreFailure extends Exception {
    private final DimseStatus status;

    public StoreFailure(int code, String comment) {
        super(comment);
        this.status = DimseStatus.failure(code, comment);
    }

    public StoreFailure(int code, String comment, Throwable cause) {
        super(comment, cause);
        this.status = DimseStatus.failure(code, comment);
    }

    public DimseStatus status() {
        return status;
    }
}
