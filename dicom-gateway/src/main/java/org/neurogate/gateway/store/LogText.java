package org.neurogate.gateway.store;

/**
 * Peer-supplied text made safe for one log line: control characters (a CR/LF would forge a second
 * line) are escaped, and over-long values are cut, so a hostile sender cannot write the log for us.
 */
public final class LogText {

    private static final int MAX = 96;

    private LogText() {
    }

    public static String safe(String value) {
        if (value == null) {
            return "(none)";
        }
        return escaped(value, MAX);
    }

    /**
     * Control characters as {@code \xNN}, the text up to {@code max} characters (then "..."). Also for
     * XML 1.0, which cannot carry most control characters.
     */
    public static String escaped(String value, int max) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 8);
        int i = 0;
        for (; i < value.length() && out.length() < max; i++) {
            char ch = value.charAt(i);
            if (Character.isISOControl(ch)) {
                out.append(String.format("\\x%02X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return i < value.length() ? out + "..." : out.toString();
    }

    /** The class and first line of a throwable's message: the detail lines of a driver's error can quote row values. */
    public static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return t.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + safe(newline < 0 ? message : message.substring(0, newline));
    }
}
