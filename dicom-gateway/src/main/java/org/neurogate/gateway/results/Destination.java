package org.neurogate.gateway.results;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A DICOM peer results are sent to, written AET@host:port. */
public record Destination(String aeTitle, String host, int port) {

    private static final Pattern FORM = Pattern.compile("([^@\\\\]{1,16})@([^:@]+):(\\d{1,5})");

    public Destination {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
    }

    public static Destination parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("destination '" + text + "' is not AET@host:port");
        }
        return new Destination(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
    }

    /** A comma list; blank gives none. */
    public static List<Destination> parseList(String text) {
        List<Destination> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return aeTitle + "@" + host + ":" + port;
    }
}
