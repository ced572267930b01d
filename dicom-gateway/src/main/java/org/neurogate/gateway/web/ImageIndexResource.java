package org.neurogate.gateway.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurogate.gateway.api.ApiRoles;
import org.neurogate.reports.render.KeyImages;

/**
 * What images a study has: its key images with their PNG addresses, and the slice stacks of its label
 * maps, each with the geometry that maps a pixel to a patient position.
 */
@Path("/api/studies/{studyUid}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ApiRoles.ADMIN, ApiRoles.RADIOLOGIST})
public class ImageIndexResource {

    /** A key image as listed: what it shows, its series and where its PNG is; geometry maps pixels to the patient. */
    public record KeyImageEntry(String name, String title, String seriesInstanceUid, String url, int slice,
                                Map<String, Object> geometry) {
    }

    private final StudyImageCache cache;

    public ImageIndexResource(StudyImageCache cache) {
        this.cache = cache;
    }

    @GET
    @Path("/key-images")
    @Produces(MediaType.APPLICATION_JSON)
    public List<KeyImageEntry> keyImages(@PathParam("studyUid") String studyUid) {
        StudyImageCache.Loaded study = cache.get(studyUid);
        List<KeyImageEntry> out = new ArrayList<>();
        for (KeyImages.KeyImage k : study.keyImages()) {
            out.add(new KeyImageEntry(k.name(), k.title(), study.seriesByRole().get(k.role()), StudyPages.keyImageUrl(studyUid, k.name()),
                    k.slice().index(), KeyImages.describe(k.slice().geometry())));
        }
        return out;
    }

    /** A label map's slice stack: its series and geometry. */
    @GET
    @Path("/slices/{labelMap}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> stack(@PathParam("studyUid") String studyUid, @PathParam("labelMap") String labelMap) {
        StudyImageCache.Loaded study = cache.get(studyUid);
        KeyImages.LabelMapKind kind = StudyPages.kind(studyUid, study, labelMap);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labelMap", kind.fileName);
        out.put("seriesInstanceUid", study.seriesByRole().get(kind.role));
        out.put("geometry", KeyImages.describe(KeyImages.stack(study.study(), kind)));
        return out;
    }

}
