package org.neurogate.inference.roles;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.neurogate.inference.dicom.SeriesAttributes;

/**
 * One rule of series classification. Every condition that is set must hold; a rule with none matches
 * everything. Rules read DICOM attributes only, never file names.
 *
 * @param descriptionRegex   case-insensitive, searched in SeriesDescription
 * @param imageTypeAnyOf     at least one of these is a value of ImageType
 * @param contrastAnyOf      AcquisitionContrast (Enhanced MR) is one of these
 * @param minInversionTime   ms; also needs an inversion time present
 * @param bValueMin          s/mm^2, inclusive; also needs a b-value
 * @param bValueMax          s/mm^2, exclusive
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RoleRule(SeriesRole role, String descriptionRegex, List<String> imageTypeAnyOf,
                       List<String> contrastAnyOf, Double maxRepetitionTime, Double maxEchoTime,
                       Double minInversionTime, String acquisitionType, Double bValueMin, Double bValueMax) {

    public RoleRule {
        if (role == null) {
            throw new IllegalArgumentException("a rule needs a role");
        }
        if (descriptionRegex != null) {
            Pattern.compile(descriptionRegex);
        }
        imageTypeAnyOf = imageTypeAnyOf == null ? List.of() : List.copyOf(imageTypeAnyOf);
        contrastAnyOf = contrastAnyOf == null ? List.of() : List.copyOf(contrastAnyOf);
    }

    public boolean matches(SeriesAttributes a, Double bValue) {
        if (descriptionRegex != null && !Pattern.compile(descriptionRegex, Pattern.CASE_INSENSITIVE)
                .matcher(a.seriesDescription()).find()) {
            return false;
        }
        if (!imageTypeAnyOf.isEmpty() && imageTypeAnyOf.stream().noneMatch(v -> a.imageType().stream()
                .anyMatch(t -> t.trim().equalsIgnoreCase(v)))) {
            return false;
        }
        if (!contrastAnyOf.isEmpty() && contrastAnyOf.stream().noneMatch(c -> c.equalsIgnoreCase(a.acquisitionContrast()))) {
            return false;
        }
        if (maxRepetitionTime != null && (a.repetitionTime() == null || a.repetitionTime() > maxRepetitionTime)) {
            return false;
        }
        if (maxEchoTime != null && (a.echoTime() == null || a.echoTime() > maxEchoTime)) {
            return false;
        }
        if (minInversionTime != null && (a.inversionTime() == null || a.inversionTime() < minInversionTime)) {
            return false;
        }
        if (acquisitionType != null && !acquisitionType.toUpperCase(Locale.ROOT).equals(a.mrAcquisitionType())) {
            return false;
        }
        if (bValueMin != null && (bValue == null || bValue < bValueMin)) {
            return false;
        }
        return bValueMax == null || (bValue != null && bValue < bValueMax);
    }
}
