package org.neurogate.gateway.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The calling AE titles each client certificate may use, by its subject's common name
 * ({@link TlsConfig#clientAeTitles()}): a certificate proves which host is calling, the mapping says
 * which AE titles that host is, so a trusted modality cannot send as the PACS.
 */
public record CertificateAeTitles(Map<String, Set<String>> byCommonName) {

    /** Parses {@code cn=AE,AE;cn=AE}; a malformed entry stops the start with a message naming it. */
    public static Optional<CertificateAeTitles> parse(Optional<String> setting) {
        if (setting.isEmpty() || setting.get().isBlank()) {
            return Optional.empty();
        }
        Map<String, Set<String>> map = new LinkedHashMap<>();
        for (String entry : setting.get().split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalStateException("NEUROGATE_TLS_CLIENT_AE_TITLES: '" + entry.strip()
                        + "' is not <certificate CN>=<AE title>[,<AE title>...]");
            }
            Set<String> titles = new LinkedHashSet<>();
            for (String ae : entry.substring(eq + 1).split(",")) {
                String title = ae.strip();
                if (title.isEmpty() || title.length() > 16) {
                    throw new IllegalStateException("NEUROGATE_TLS_CLIENT_AE_TITLES: '" + title
                            + "' is not an AE title (1 to 16 characters)");
                }
                titles.add(title);
            }
            map.computeIfAbsent(entry.substring(0, eq).strip(), k -> new LinkedHashSet<>()).addAll(titles);
        }
        return Optional.of(new CertificateAeTitles(Map.copyOf(map)));
    }

    /** Whether a peer whose certificate has this CN (empty: no certificate) may call as {@code callingAe}. */
    public boolean allows(Optional<String> commonName, String callingAe) {
        return commonName.map(byCommonName::get).map(titles -> titles.contains(callingAe.strip())).orElse(false);
    }

    /** The certificate chain the peer sent, or null when it sent none. */
    public static Certificate[] peerCertificates(javax.net.ssl.SSLSession session) {
        try {
            return session.getPeerCertificates();
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return null;
        }
    }

    /** The subject CN of the peer's leaf certificate, if it sent one. */
    public static Optional<String> commonName(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        try {
            // getRdns() runs from the least specific RDN to the most: the last CN is the subject's own.
            Optional<String> cn = Optional.empty();
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = Optional.of(rdn.getValue().toString());
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
