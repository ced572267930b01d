package org.neurogate.gateway.web;

import org.neurogate.gateway.audit.Audited;
import org.neurogate.persistence.AuditEvent;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.neurogate.gateway.api.ApiRoles;
import org.neurogate.gateway.review.ReviewService;
import org.neurogate.inference.volume.Volume;
import org.neurogate.reports.render.KeyImages;
import org.neurogate.reports.render.SliceGeometry;
import org.neurogate.reports.render.SliceRenderer;
import org.neurogate.reports.render.Window;

/**
 * A study's pages: the report page, its sign-off forms, and its server-rendered images (the key
 * images, and every axial slice of each series with a label map for the scroller, as PNG in
 * radiological convention, overlay on or off, with a window preset). They live under {@code /viewer},
 * so a browser without a session is sent to the login page; a script with Basic credentials reads
 * the images too. Their index is {@link ImageIndexResource}.
 */
@Path("/viewer/studies/{studyUid}")
@RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
public class StudyPages {

    private final StudyImageCache cache;
    private final Template report;
    private final ReportPage reportPage;
    private final ReviewService reviews;
    private final SecurityIdentity identity;

    public StudyPages(StudyImageCache cache, Template report, ReportPage reportPage, ReviewService reviews,
                      SecurityIdentity identity) {
        this.cache = cache;
        this.report = report;
        this.reportPage = reportPage;
        this.reviews = reviews;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Audited(value = AuditEvent.STUDY_VIEWED, objectType = "study", objectParam = "studyUid")
    public Response reportPage(@PathParam("studyUid") String studyUid, @CookieParam(Csrf.COOKIE) String cookie,
                               @Context UriInfo uri) {
        String token = ViewerPages.token(cookie);
        ReportPage.Model model = reportPage.build(studyUid);
        return ViewerPages.page(report.data("m", model).data("user", identity.getPrincipal().getName())
                .data("canSign", identity.hasRole(ApiRoles.RADIOLOGIST) && "UNREAD".equals(model.review().state()))
                .data("reasons", ReviewService.COMMON_REJECTION_REASONS).data("csrf", token), cookie, token, uri);
    }

    @POST
    @Path("/sign")
    @RolesAllowed(ApiRoles.RADIOLOGIST)
    @Audited(value = AuditEvent.REPORT_SIGNED, objectType = "study", objectParam = "studyUid")
    public Response sign(@PathParam("studyUid") String studyUid, @FormParam(Csrf.FIELD) String token,
                         @FormParam("comment") String comment, @CookieParam(Csrf.COOKIE) String cookie) {
        Csrf.check(cookie, token);
        String user = identity.getPrincipal().getName();
        reviews.sign(studyUid, user, reviews.observerName(user), comment);
        return ViewerPages.backTo(studyUid);
    }

    @POST
    @Path("/reject")
    @RolesAllowed(ApiRoles.RADIOLOGIST)
    @Audited(value = AuditEvent.REPORT_REJECTED, objectType = "study", objectParam = "studyUid")
    public Response reject(@PathParam("studyUid") String studyUid, @FormParam(Csrf.FIELD) String token,
                           @FormParam("reason") String reason, @FormParam("detail") String detail,
                           @CookieParam(Csrf.COOKIE) String cookie) {
        Csrf.check(cookie, token);
        String text = ViewerPages.blank(detail) == null ? reason
                : ViewerPages.blank(reason) == null || "other".equals(reason) ? detail : reason + ": " + detail.strip();
        String user = identity.getPrincipal().getName();
        reviews.reject(studyUid, user, reviews.observerName(user), text);
        return ViewerPages.backTo(studyUid);
    }

    static String keyImageUrl(String studyUid, String name) {
        return "/viewer/studies/" + encode(studyUid) + "/key-images/" + encode(name) + ".png";
    }

    static String sliceBaseUrl(String studyUid, String labelMap) {
        return "/viewer/studies/" + encode(studyUid) + "/slices/" + encode(labelMap) + "/";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @GET
    @Path("/key-images/{name}.png")
    @Produces("image/png")
    public Response keyImage(@PathParam("studyUid") String studyUid, @PathParam("name") String name) {
        StudyImageCache.Loaded study = cache.get(studyUid);
        KeyImages.KeyImage image = study.keyImages().stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("study " + studyUid + " has no key image " + name));
        return png(SliceRenderer.png(SliceRenderer.render(image.slice())));
    }

    @GET
    @Path("/slices/{labelMap}/{index}.png")
    @Produces("image/png")
    public Response slice(@PathParam("studyUid") String studyUid, @PathParam("labelMap") String labelMap,
                          @PathParam("index") int index, @QueryParam("overlay") @DefaultValue("true") boolean overlay,
                          @QueryParam("window") @DefaultValue("auto") String window) {
        StudyImageCache.Loaded study = cache.get(studyUid);
        KeyImages.LabelMapKind kind = kind(studyUid, study, labelMap);
        SliceGeometry g = KeyImages.stack(study.study(), kind);
        if (index < 0 || index >= g.slices()) {
            throw new NotFoundException("slice " + index + " outside 0.." + (g.slices() - 1));
        }
        Window.Preset preset;
        try {
            preset = Window.Preset.parse(window);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        Volume volume = study.study().volumes().get(kind.role);
        Volume labels = study.study().labelMaps().get(kind);
        SliceRenderer.Slice slice = new SliceRenderer.Slice(volume, g, index,
                Window.of(study.samples().get(kind.role), preset),
                overlay ? new SliceRenderer.Overlay(labels, kind.styles, KeyImages.OPACITY) : null, List.of(), kind.styles,
                String.format(java.util.Locale.ROOT, "axial %d/%d  %s%s", index + 1, g.slices(),
                        preset.name().toLowerCase(java.util.Locale.ROOT), overlay ? "" : "  overlay off"));
        return png(SliceRenderer.png(SliceRenderer.render(slice)));
    }

    static KeyImages.LabelMapKind kind(String studyUid, StudyImageCache.Loaded study, String labelMap) {
        KeyImages.LabelMapKind kind = KeyImages.LabelMapKind.byFileName(labelMap)
                .orElseThrow(() -> new NotFoundException("no label map " + labelMap));
        if (!study.study().labelMaps().containsKey(kind) || !study.study().volumes().containsKey(kind.role)) {
            throw new NotFoundException("study " + studyUid + " has no " + labelMap);
        }
        return kind;
    }

    private static Response png(byte[] bytes) {
        // Patient images: never kept by shared caches.
        return Response.ok(bytes, "image/png").header("Cache-Control", "private, max-age=300").build();
    }
}
