package org.neurogate.gateway.store;

import java.io.IOException;
import java.io.OutputStream;

/** The data set of a C-STORE as it comes off the association. */
@FunctionalInterface
public interface DataSetSource {
    /** Copies the whole data set into {@code sink}; an IOException means the association itself failed. */
    long transferTo(OutputStream sink) throws IOException;
}
