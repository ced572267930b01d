package org.neurogate.gateway.ul;

import java.io.IOException;

/** The peer sent something the DICOM Upper Layer protocol does not allow; the answer is an A-ABORT. */
public class UpperLayerProtocolException extends IOException {
    public UpperLayerProtocolException(String message) {
        super(message);
    }
}
