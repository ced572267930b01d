package org.neurogate.inference.dicom;

/** Carries a {@link QcFailure} out of the reader; callers turn it into a NotAnalysable result. */
public class QcException extends Exception {
    private final QcFailure failure;

    public QcException(QcFailure.Reason reason, String detail) {
        super(reason.label + ": " + detail);
        this.failure = new QcFailure(reason, detail);
    }

    public QcFailure failure() {
        return failure;
    }
}
