package org.neurogate.inference.roles;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.neurogate.inference.dicom.SeriesAttributes;

/**
 * Ordered role rules: the first rule that matches decides, and a series no rule matches is OTHER.
 * The defaults ({@code default-series-roles.json}) classify the scanners' series in the test data and
 * every phantom series; a site can supply its own list in the same format.
 */
public final class SeriesRoleRules {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<RoleRule> rules;

    public SeriesRoleRules(List<RoleRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static SeriesRoleRules defaults() {
        try (InputStream in = SeriesRoleRules.class.getResourceAsStream("default-series-roles.json")) {
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the default role rules are part of the build", e);
        }
    }

    /** Reads a JSON array of rules; an unknown field or a bad regular expression is an error that names it. */
    public static SeriesRoleRules fromJson(InputStream in) throws IOException {
        return new SeriesRoleRules(JSON.readValue(in, new TypeReference<List<RoleRule>>() { }));
    }

    public SeriesRole classify(SeriesAttributes attributes, Double bValue) {
        for (RoleRule rule : rules) {
            if (rule.matches(attributes, bValue)) {
                return rule.role();
            }
        }
        return SeriesRole.OTHER;
    }

    public List<RoleRule> rules() {
        return rules;
    }
}
