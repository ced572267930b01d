package org.neurogate.persistence;

/** The database could not be reached or refused the statement; the caller must not acknowledge anything. */
public class CatalogUnavailableException extends RuntimeException {
    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
