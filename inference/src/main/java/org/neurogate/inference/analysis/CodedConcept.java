package org.neurogate.inference.analysis;

/** A coded concept (PS3.3 Code Sequence Macro): scheme designator, code value, code meaning. */
public record CodedConcept(String scheme, String code, String meaning) {
    public CodedConcept {
        if (scheme == null || scheme.isBlank() || code == null || code.isBlank() || meaning == null || meaning.isBlank()) {
            throw new IllegalArgumentException("a coded concept needs a scheme, a code and a meaning");
        }
        if (code.length() > 16 || scheme.length() > 16) {
            throw new IllegalArgumentException("code value and scheme are SH, at most 16 characters: " + scheme + " " + code);
        }
        if (meaning.length() > 64) {
            throw new IllegalArgumentException("code meaning over 64 characters (LO): " + meaning);
        }
    }
}
