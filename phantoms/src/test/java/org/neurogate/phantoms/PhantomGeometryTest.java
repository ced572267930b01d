package org.neurogate.phantoms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurogate.phantoms.dicom.EnhancedMrWriter;
import org.neurogate.phantoms.dicom.MrImageWriter;
import org.neurogate.phantoms.dicom.SeriesProtocol;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;
import org.neurogate.phantoms.nifti.Nifti1;

/** Written DICOM geometry read back with PixelMed must put every voxel where the generator put it. */
class PhantomGeometryTest {

    private static final double TOLERANCE_MM = 0.01;

    @ParameterizedTest(name = "{0} T1, oblique {1} degrees, enhanced {2}")
    @CsvSource({"SAGITTAL, 0, false", "AXIAL, 0, false", "CORONAL, 0, false", "SAGITTAL, 7, false",
        "AXIAL, -11, false", "CORONAL, 4.5, true", "AXIAL, 9, true"})
    void voxelPositionsSurviveTheRoundTrip(AcquisitionOptions.Plane plane, double oblique, boolean enhanced,
                                           @TempDir Path dir) throws Exception {
        AcquisitionOptions acquisition = new AcquisitionOptions(plane, oblique, enhanced,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30);
        for (SeriesRole role : List.of(SeriesRole.T1, SeriesRole.FLAIR)) {
            ImageGrid grid = PhantomStudy.grid(role, acquisition);
            RenderedSeries empty = new RenderedSeries(role, grid, new short[grid.voxelCount()],
                    new byte[grid.voxelCount()], new byte[grid.voxelCount()], new int[0]);
            SeriesProtocol protocol = PhantomStudy.protocol(3, "20240101", role, 1, plane, new int[0]);
            Path out = dir.resolve(role.fileName);
            List<Path> files = enhanced
                    ? EnhancedMrWriter.write(empty, PhantomStudy.identity(PhantomFixtures.subject(3)), protocol,
                            l -> SyntheticMrSeries.uid(3, l), AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, out)
                    : MrImageWriter.write(empty, PhantomStudy.identity(PhantomFixtures.subject(3)), protocol,
                            l -> SyntheticMrSeries.uid(3, l), AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, out);
            if (enhanced) {
                checkEnhanced(files.get(0), grid);
            } else {
                for (int k : new int[] {0, grid.slices() / 2, grid.slices() - 1}) {
                    checkSlice(read(files.get(k)), grid, k);
                }
            }
        }
    }

    @Test
    void niftiLabelMapsCarryTheSeriesGeometry(@TempDir Path dir) throws Exception {
        AcquisitionOptions acquisition = new AcquisitionOptions(AcquisitionOptions.Plane.CORONAL, 6, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30);
        ImageGrid grid = PhantomStudy.grid(SeriesRole.DWI, acquisition);
        byte[] labels = new byte[grid.voxelCount()];
        labels[grid.voxelCount() - 1] = 9;
        Path file = dir.resolve("labels.nii.gz");
        Nifti1.writeLabels(file, grid, labels);
        Nifti1.Volume back = Nifti1.read(file);
        for (int[] v : new int[][] {{0, 0, 0}, {127, 0, 0}, {0, 127, 39}, {127, 127, 39}}) {
            assertClose(grid.voxelToPatient(v[0], v[1], v[2]), back.grid().voxelToPatient(v[0], v[1], v[2]), 1e-3);
        }
        assertEquals(9, back.voxels()[grid.voxelCount() - 1]);
    }

    @Test
    void realNiftiAnatomyKeepsItsGeometryAsDicom(@TempDir Path dir) throws Exception {
        Path shared = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data", "nifti-stroke-lesion-maps-mni");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(shared),
                "../shared/data is absent; skipping the real-anatomy round trip");
        Path t1 = shared.resolve("betsct1_unsmooth.nii.gz");
        Path mask = shared.resolve("M2095_lesion.nii.gz");
        java.util.Map<String, Object> truth = NiftiImport.write(t1, SeriesRole.T1, mask, PhantomFixtures.subject(61),
                AcquisitionOptions.defaults(), null, dir);
        Nifti1.Volume source = Nifti1.read(t1);
        ImageGrid grid = source.grid();
        List<Path> slices;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("dicom/01_t1"))) {
            slices = files.sorted().toList();
        }
        assertEquals(grid.slices(), slices.size());
        for (int k : new int[] {0, grid.slices() / 2, grid.slices() - 1}) {
            checkSlice(read(slices.get(k)), grid, k);
        }
        Nifti1.Volume lesion = Nifti1.read(mask);
        long voxels = 0;
        for (float v : lesion.voxels()) {
            voxels += v > 0.5f ? 1 : 0;
        }
        assertEquals(voxels * grid.voxelVolumeMm3() / 1000, ((Number) truth.get("lesion_volume_ml")).doubleValue(), 0.001);
        assertEquals(3, ((List<?>) truth.get("series")).size(), "T1, DWI and ADC");
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/dciodvfy"))) {
            for (String series : List.of("01_t1", "03_dwi", "04_adc")) {
                Path first;
                try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("dicom").resolve(series))) {
                    first = files.sorted().findFirst().orElseThrow();
                }
                Process p = new ProcessBuilder("dciodvfy", first.toString()).redirectErrorStream(true).start();
                String report = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                assertEquals(false, report.lines().anyMatch(l -> l.startsWith("Error")), report);
            }
        }
    }

    private static void checkSlice(AttributeList list, ImageGrid grid, int k) {
        double[] ipp = Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient);
        double[] iop = Attribute.getDoubleValues(list, TagFromName.ImageOrientationPatient);
        double[] spacing = Attribute.getDoubleValues(list, TagFromName.PixelSpacing);
        checkPositions(ipp, iop, spacing, grid, k);
    }

    private static void checkEnhanced(Path file, ImageGrid grid) throws Exception {
        AttributeList list = read(file);
        AttributeList shared = ((SequenceAttribute) list.get(TagFromName.SharedFunctionalGroupsSequence)).getItem(0)
                .getAttributeList();
        double[] iop = Attribute.getDoubleValues(((SequenceAttribute) shared.get(TagFromName.PlaneOrientationSequence))
                .getItem(0).getAttributeList(), TagFromName.ImageOrientationPatient);
        double[] spacing = Attribute.getDoubleValues(((SequenceAttribute) shared.get(TagFromName.PixelMeasuresSequence))
                .getItem(0).getAttributeList(), TagFromName.PixelSpacing);
        SequenceAttribute frames = (SequenceAttribute) list.get(TagFromName.PerFrameFunctionalGroupsSequence);
        assertEquals(grid.slices(), frames.getNumberOfItems());
        for (int k : new int[] {0, grid.slices() / 2, grid.slices() - 1}) {
            AttributeList frame = frames.getItem(k).getAttributeList();
            double[] ipp = Attribute.getDoubleValues(((SequenceAttribute) frame.get(TagFromName.PlanePositionSequence))
                    .getItem(0).getAttributeList(), TagFromName.ImagePositionPatient);
            checkPositions(ipp, iop, spacing, grid, k);
        }
    }

    /** PS3.3 C.7.6.2.1.1: position of pixel (column i, row j) from IPP, IOP and Pixel Spacing. */
    private static void checkPositions(double[] ipp, double[] iop, double[] spacing, ImageGrid grid, int k) {
        for (int[] ij : new int[][] {{0, 0}, {grid.columns() - 1, 0}, {0, grid.rows() - 1},
            {grid.columns() / 2, grid.rows() / 3}}) {
            int i = ij[0];
            int j = ij[1];
            Vec3 fromDicom = new Vec3(
                    ipp[0] + iop[0] * spacing[1] * i + iop[3] * spacing[0] * j,
                    ipp[1] + iop[1] * spacing[1] * i + iop[4] * spacing[0] * j,
                    ipp[2] + iop[2] * spacing[1] * i + iop[5] * spacing[0] * j);
            assertClose(grid.voxelToPatient(i, j, k), fromDicom, TOLERANCE_MM);
        }
    }

    private static void assertClose(Vec3 expected, Vec3 actual, double tolerance) {
        double distance = expected.minus(actual).norm();
        assertEquals(0, distance, tolerance, "expected " + expected + ", got " + actual);
    }

    static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        return list;
    }
}
