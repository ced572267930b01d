package org.neurogate.gateway.store;

/**
 * A C-STORE as announced by its command and negotiated context, before the data set is read.
 *
 * @param association a short label for log lines, e.g. {@code assoc-12 SCANNER1->NEUROGATE}
 */
public record StoreRequest(String association, String callingAeTitle, String calledAeTitle,
                           String negotiatedSopClassUid, String affectedSopClassUid,
                           String affectedSopInstanceUid, String transferSyntaxUid) {

    /** PS3.5 9.1: a UID of digits and dots, at most 64 characters. */
    public static boolean isValidUid(String uid) {
        return StoredObjectParser.isValidUid(uid);
    }
}
