package org.neurogate.gateway.ul;

import java.net.SocketTimeoutException;

/** A deadline of the connection (the association request's, or one PDU's) ran out. */
public final class DeadlineExceededException extends SocketTimeoutException {
    DeadlineExceededException(String name) {
        super(name + " exceeded");
    }
}
