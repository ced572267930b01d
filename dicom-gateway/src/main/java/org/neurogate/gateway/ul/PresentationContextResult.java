package org.neurogate.gateway.ul;

/**
 * Our answer to one proposed presentation context (PS3.8 9.3.3.2).
 *
 * @param transferSyntax the accepted transfer syntax; for a rejected context, the first one proposed
 */
public record PresentationContextResult(int id, int result, String abstractSyntax, String transferSyntax) {
    public static final int ACCEPTANCE = 0;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public boolean accepted() {
        return result == ACCEPTANCE;
    }
}
