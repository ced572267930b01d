package org.neurogate.gateway.web;

import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.neurogate.gateway.api.ApiRoles;
import org.neurogate.persistence.Worklist;

/**
 * The viewer's entry pages: login, logout and the worklist, rendered on the server with Qute. Every
 * page but the login needs a session; state-changing forms carry the CSRF token. A study's own pages
 * are {@link StudyPages}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ViewerPages {

    private final Template login;
    private final Template worklist;
    private final Worklist studies;
    private final ViewerConfig config;
    private final SecurityIdentity identity;

    public ViewerPages(Template login, Template worklist, Worklist studies, ViewerConfig config, SecurityIdentity identity) {
        this.login = login;
        this.worklist = worklist;
        this.studies = studies;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Path("/login")
    @PermitAll
    public TemplateInstance loginPage() {
        return login.data("error", false);
    }

    @GET
    @Path("/login-error")
    @PermitAll
    public TemplateInstance loginError() {
        return login.data("error", true);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @Audited(AuditEvent.LOGOUT)
    public Response logout(@FormParam(Csrf.FIELD) String token, @CookieParam(Csrf.COOKIE) String cookie) {
        Csrf.check(cookie, token);
        FormAuthenticationMechanism.logout(identity);
        return Response.seeOther(URI.create("/login")).build();
    }

    @GET
    @Path("/viewer")
    @RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
    public Response worklistPage(@QueryParam("q") String search, @QueryParam("state") String state,
                                 @QueryParam("review") String review, @QueryParam("flag") String flag,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("sort") String sort, @QueryParam("page") Integer page,
                                 @CookieParam(Csrf.COOKIE) String cookie, @Context UriInfo uri) {
        Worklist.Query query;
        try {
            query = new Worklist.Query(blank(search), parse(Worklist.AnalysisState.class, state),
                    parse(Worklist.ReviewState.class, review), parse(Worklist.Flag.class, flag), date(from), date(to),
                    parse(Worklist.Sort.class, sort), page == null ? 0 : Math.max(0, page), config.pageSize());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        Worklist.Page rows = studies.page(query);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("q", blank(search) == null ? "" : search.strip());
        filters.put("state", state == null ? "" : state);
        filters.put("review", review == null ? "" : review);
        filters.put("flag", flag == null ? "" : flag);
        filters.put("from", from == null ? "" : from);
        filters.put("to", to == null ? "" : to);
        filters.put("sort", sort == null ? "" : sort);
        StringBuilder base = new StringBuilder("/viewer?");
        filters.forEach((k, v) -> {
            if (!v.isEmpty()) {
                base.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        });
        String token = token(cookie);
        return page(worklist.data("page", rows).data("filters", filters).data("pageBase", base.toString())
                .data("user", identity.getPrincipal().getName()).data("csrf", token)
                .data("states", java.util.List.of("RECEIVING", "QUEUED", "RUNNING", "DONE", "FAILED"))
                .data("reviewStates", java.util.List.of("UNREAD", "SIGNED", "REJECTED"))
                .data("shiftFlag", Worklist.SHIFT_FLAG_MM).data("ageFlag", Worklist.BRAIN_AGE_GAP_FLAG_YEARS), cookie, token,
                uri);
    }

    @GET
    @Path("/viewer/assets/viewer.js")
    @Produces("text/javascript")
    @RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
    public Response script() throws java.io.IOException {
        try (var in = ViewerPages.class.getResourceAsStream("/viewer/viewer.js")) {
            return Response.ok(in.readAllBytes(), "text/javascript").header("Cache-Control", "private, max-age=3600").build();
        }
    }

    static Response backTo(String studyUid) {
        return Response.seeOther(URI.create("/viewer/studies/" + URLEncoder.encode(studyUid, StandardCharsets.UTF_8)))
                .build();
    }

    static String token(String cookie) {
        return cookie == null || cookie.isBlank() ? Csrf.newToken() : cookie;
    }

    /** The page, setting the CSRF cookie when the browser has none yet; never cached. */
    static Response page(TemplateInstance page, String cookie, String token, UriInfo uri) {
        Response.ResponseBuilder r = Response.ok(page.render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store");
        if (cookie == null || cookie.isBlank()) {
            r.cookie(Csrf.cookie(token, "https".equals(uri.getRequestUri().getScheme())));
        }
        return r.build();
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return value == null || value.isBlank() ? null : Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    }

    /** An HTML date input's YYYY-MM-DD as DICOM's YYYYMMDD. */
    private static String date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String digits = value.replace("-", "");
        if (!digits.matches("\\d{8}")) {
            throw new IllegalArgumentException("dates are YYYY-MM-DD, was " + value);
        }
        return digits;
    }
}
