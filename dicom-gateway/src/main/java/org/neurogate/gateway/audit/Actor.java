package org.neurogate.gateway.audit;

/**
 * Who caused an audited event: an account (or the name typed at a failed login), a DICOM peer by its
 * calling AE title, or the gateway itself; and from which address.
 */
public record Actor(String username, String role, String address) {

    public static final String DICOM_PEER = "dicom-peer";

    public static Actor system() {
        return new Actor("system", "system", null);
    }

    public static Actor dicomPeer(String callingAeTitle, String address) {
        return new Actor(callingAeTitle, DICOM_PEER, address);
    }
}
