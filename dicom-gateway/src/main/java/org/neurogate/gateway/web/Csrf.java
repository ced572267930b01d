package org.neurogate.gateway.web;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Cross-site request forgery protection for the viewer's session: a random token in an HttpOnly,
 * SameSite=Strict cookie that every state-changing request must repeat, in a form field
 * ({@value #FIELD}) or the {@value #HEADER} header. Another site can make a browser send the cookie
 * (SameSite aside) but cannot read it to repeat it. Requests with Basic credentials are not from a
 * browser session and need no token.
 */
public final class Csrf {

    public static final String COOKIE = "neurogate-csrf";
    public static final String HEADER = "X-CSRF-Token";
    public static final String FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static NewCookie cookie(String token, boolean secure) {
        return new NewCookie.Builder(COOKIE).value(token).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    /** Refuses (403) unless the presented token equals the cookie's. */
    public static void check(String cookieToken, String presented) {
        if (cookieToken == null || cookieToken.isBlank() || presented == null
                || !MessageDigest.isEqual(cookieToken.getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("missing or wrong CSRF token");
        }
    }
}
