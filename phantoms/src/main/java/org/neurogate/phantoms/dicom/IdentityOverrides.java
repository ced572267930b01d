package org.neurogate.phantoms.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifying attributes a phantom study carries instead of its synthetic ones, from a JSON object of
 * DICOM keywords ({@code "InstitutionName": "..."}) and at most one private attribute
 * ({@code "(0009,xx10)": "..."} with {@code "PrivateCreator": "..."}). They are written into every
 * object of the study, so a de-identification test can look for each value afterwards.
 */
public record IdentityOverrides(List<Value> values, String privateCreator, Integer privateGroup,
                                Integer privateElement, String privateValue) {

    /** One standard attribute and its value. */
    public record Value(String keyword, AttributeTag tag, String value) {
    }

    public static final IdentityOverrides NONE = new IdentityOverrides(List.of(), null, null, null, null);

    /** Keywords that are the visit itself (who and when): they set the patient, birth and study dates. */
    public static final List<String> VISIT_KEYWORDS = List.of("PatientID", "PatientBirthDate", "StudyDate");

    private static final Pattern PRIVATE = Pattern.compile("\\(([0-9A-Fa-f]{4}),xx([0-9A-Fa-f]{2})\\)");

    public IdentityOverrides {
        values = List.copyOf(values);
    }

    /**
     * @throws IllegalArgumentException for an unknown keyword, a value that is not text, a standard
     *                                  group as private, or a private attribute without its creator
     */
    public static IdentityOverrides parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("an identity is a JSON object of DICOM keywords and values");
        }
        DicomDictionary dictionary = DicomDictionary.StandardDictionary;
        List<Value> values = new ArrayList<>();
        String creator = json.path("PrivateCreator").isTextual() ? json.path("PrivateCreator").asText() : null;
        Integer group = null;
        Integer element = null;
        String privateValue = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.equals("PrivateCreator")) {
                continue;
            }
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("identity value of " + key + " must be a string");
            }
            Matcher m = PRIVATE.matcher(key);
            if (m.matches()) {
                group = Integer.parseInt(m.group(1), 16);
                element = Integer.parseInt(m.group(2), 16);
                if (group % 2 == 0) {
                    throw new IllegalArgumentException(key + ": a private attribute has an odd group");
                }
                privateValue = e.getValue().asText();
                continue;
            }
            AttributeTag tag = dictionary.getTagFromName(key);
            if (tag == null) {
                throw new IllegalArgumentException("identity: " + key + " is not a DICOM keyword");
            }
            values.add(new Value(key, tag, e.getValue().asText()));
        }
        if (privateValue != null && (creator == null || creator.isBlank())) {
            throw new IllegalArgumentException("identity: a private attribute needs its \"PrivateCreator\"");
        }
        return new IdentityOverrides(values, creator, group, element, privateValue);
    }

    /** The value of a keyword, or null. */
    public String value(String keyword) {
        return values.stream().filter(v -> v.keyword().equals(keyword)).map(Value::value).findFirst().orElse(null);
    }

    /** Puts every value into {@code list} (the visit's own keywords are left to the visit). */
    public void applyTo(AttributeList list) throws DicomException {
        for (Value v : values) {
            if (VISIT_KEYWORDS.contains(v.keyword())) {
                continue;
            }
            Attribute a = AttributeFactory.newAttribute(v.tag());
            for (String part : v.value().split("\\\\", -1)) {
                a.addValue(part);
            }
            list.put(a);
        }
        if (privateValue != null) {
            // The block's creator at (gggg,00bb) reserves elements (gggg,bbxx): block 0x10 here.
            Attribute owner = new LongStringAttribute(new AttributeTag(privateGroup, 0x0010));
            owner.addValue(privateCreator);
            list.put(owner);
            Attribute value = new LongStringAttribute(new AttributeTag(privateGroup, 0x1000 | privateElement));
            value.addValue(privateValue);
            list.put(value);
        }
    }
}
