package org.neurogate.gateway.dicom;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.neurogate.gateway.ProcessConfig;

/**
 * A receiver is ready only while its DICOM port is open (a receiver that cannot receive is not ready);
 * a process without the receiver role has no port to judge.
 */
@Readiness
@ApplicationScoped
public class DicomScpHealthCheck implements HealthCheck {

    private final DicomScp scp;
    private final ProcessConfig process;

    public DicomScpHealthCheck(DicomScp scp, ProcessConfig process) {
        this.scp = scp;
        this.process = process;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dicom-scp")
                .status(scp.isListening() || !process.runs(ProcessConfig.Role.RECEIVER))
                .withData("port", scp.port())
                .build();
    }
}
