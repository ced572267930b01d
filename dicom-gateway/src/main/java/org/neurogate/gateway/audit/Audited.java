package org.neurogate.gateway.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.neurogate.persistence.AuditEvent;

/**
 * Marks an HTTP endpoint whose every call goes into the audit trail, with its outcome: the
 * {@link AuditFilter} records it after the response is decided, whether the call succeeded, was
 * refused or failed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    AuditEvent value();

    /** What kind of object the call touches: study, report, user, export. */
    String objectType() default "";

    /** The path parameter that names the object; else the endpoint names it through {@link AuditNote}. */
    String objectParam() default "";
}
