package org.neurogate.inference.analysis;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neurogate.inference.brainage.BrainAgeManifest;
import org.neurogate.inference.brainage.BrainAgeModel;
import org.neurogate.inference.image.Morphology;
import org.neurogate.inference.midline.BrainFrame;
import org.neurogate.inference.midline.MidSagittalPlane;
import org.neurogate.inference.midline.SeptumShift;
import org.neurogate.inference.models.BrainAgeFit;
import org.neurogate.inference.models.MeshNetImporter;
import org.neurogate.inference.models.ModelManifest;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ReferencePack;
import org.neurogate.inference.models.Segmenter;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.preprocess.Conform;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.roles.SeriesRole;
import org.neurogate.inference.stroke.DiffusionLesions;
import org.neurogate.inference.stroke.WhiteMatterHyperintensities;
import org.neurogate.inference.volume.Volume;
import org.neurogate.inference.volumetry.BrainTissue;
import org.neurogate.inference.volumetry.HippocampalPrior;
import org.neurogate.inference.volumetry.MciRisk;
import org.neurogate.inference.volumetry.NormativeModel;

/**
 * Runs the four analyses on one study: stroke lesions (DWI + ADC) and white-matter hyperintensities
 * (FLAIR), midline symmetry, brain age and MCI biomarkers (T1). Each analysis runs when its series
 * are present and says why not otherwise.
 *
 * <p>Models, picked by their manifest's task and their labels' coded concepts: the reference pack's
 * brain mask, tissue classifier and brain-age regression always; a skull-stripping model (task
 * brain-mask, a label coded SNOMED CT brain: mindgrab) and a structure model with a hippocampus
 * concept (task segmentation: MeshNet model18cls, the 104-class model) when imported, else the
 * anatomical prior for the hippocampi; a site's lesion-segmentation and wmh-segmentation models
 * when loaded and their input series are present, else the built-in detectors.
 */
public final class StudyAnalyzer {

    private static final Set<String> HIPPOCAMPUS_CODES = Set.of(MeshNetImporter.HIPPOCAMPUS,
            MeshNetImporter.HIPPOCAMPUS_LEFT, MeshNetImporter.HIPPOCAMPUS_RIGHT);
    /** SNOMED CT 12738006, brain. */
    private static final String BRAIN_CODE = "12738006";
    /** Midline shifts under this are reported as "none": below the method's precision. */
    static final double SHIFT_REPORTING_MM = 0.5;

    /** Labels of {@code labels_t1}: tissue classes, then the structures drawn over them. */
    public static final int LABEL_VENTRICLES = 4;
    public static final int LABEL_HIPPOCAMPUS_LEFT = 5;
    public static final int LABEL_HIPPOCAMPUS_RIGHT = 6;

    /**
     * The findings, the label maps on each source series' native grid (for NIfTI and SEG), and the
     * wall time of each stage in seconds (for the benchmark).
     */
    public record StudyAnalysis(Findings findings, Map<String, LabelMap> labelMaps, Map<String, Double> secondsByStage) {
    }

    /** Wall-clock laps: each call records the seconds since the previous one under a stage name. */
    private static final class Laps {
        private final Map<String, Double> seconds = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void lap(String stage) {
            long now = System.nanoTime();
            seconds.merge(stage, (now - last) / 1e9, Double::sum);
            last = now;
        }
    }

    /** A label map and the series whose grid it lies on. */
    public record LabelMap(String sourceSeriesUid, Volume labels) {
    }

    private final InferenceEngine engine;
    private final ModelPack.Model brainMask;
    private final ModelPack.Model tissue;
    private final ModelPack.Model brainAge;
    /** The brain-age regression's residual standard deviation on its training cohort. */
    private final double brainAgeUncertainty;
    /** An imported whole-brain structure model (with a hippocampus label), or null. */
    private final ModelPack.Model structureModel;
    /** An imported skull-stripping model (two labels, the second the brain), or null. */
    private final ModelPack.Model importedMask;
    /** An imported brain-age pack (the 2D-projection CNN), or null. */
    private final BrainAgeModel projectionBrainAge;
    /** A site's lesion-segmentation model (task {@code lesion-segmentation}), or null for the built-in detector. */
    private final ModelPack.Model lesionModel;
    /** A site's WMH-segmentation model (task {@code wmh-segmentation}), or null for the built-in one. */
    private final ModelPack.Model wmhModel;

    /**
     * Registration QC: the correlation ratio of a real brain to the template was 0.87-0.94 on ten real
     * scans and 0.999 on known answers; below 0.8 the brain is not where the model expects it.
     */
    static final double MIN_REGISTRATION_CORRELATION_RATIO = 0.8;
    /**
     * Out-of-distribution QC: the 15 networks spread by 5-14 y (SD) on real heads, and by tens to
     * hundreds of years on noise or an empty image.
     */
    static final double MAX_ENSEMBLE_SD_YEARS = 20;

    public StudyAnalyzer(InferenceEngine engine, List<ModelPack> packs) {
        this(engine, packs, List.of());
    }

    /** @param brainAgeModels imported brain-age packs; the first is used on real T1s */
    public StudyAnalyzer(InferenceEngine engine, List<ModelPack> packs, List<BrainAgeModel> brainAgeModels) {
        this.engine = engine;
        this.projectionBrainAge = brainAgeModels.isEmpty() ? null : brainAgeModels.get(0);
        this.brainMask = find(packs, "reference-brain-mask").orElseThrow(() -> missing("reference-brain-mask"));
        this.tissue = find(packs, "reference-tissue").orElseThrow(() -> missing("reference-tissue"));
        this.brainAge = find(packs, "reference-brain-age").orElseThrow(() -> missing("reference-brain-age"));
        this.brainAgeUncertainty = brainAgeFit().residualSdYears();
        // Picked by task and coded concept, never by a label's name.
        this.structureModel = packs.stream().flatMap(p -> p.models().stream())
                .filter(m -> "segmentation".equals(m.manifest().task()) && m.manifest().labels() != null
                        && m.manifest().labels().stream().anyMatch(l -> HIPPOCAMPUS_CODES.contains(l.code())))
                .findFirst().orElse(null);
        this.lesionModel = byTask(packs, ModelManifest.LESION_SEGMENTATION);
        this.wmhModel = byTask(packs, ModelManifest.WMH_SEGMENTATION);
        this.importedMask = packs.stream().flatMap(p -> p.models().stream())
                .filter(m -> !m.manifest().id().startsWith("reference-") && "brain-mask".equals(m.manifest().task())
                        && m.manifest().labels() != null && m.manifest().labels().stream()
                                .anyMatch(l -> "SCT".equals(l.codingScheme()) && BRAIN_CODE.equals(l.code())))
                .findFirst().orElse(null);
    }

    private static Optional<ModelPack.Model> find(List<ModelPack> packs, String id) {
        return packs.stream().flatMap(p -> p.models().stream()).filter(m -> m.manifest().id().equals(id)).findFirst();
    }

    /** The first loaded model declaring {@code task}, or null. */
    private static ModelPack.Model byTask(List<ModelPack> packs, String task) {
        return packs.stream().flatMap(p -> p.models().stream()).filter(m -> task.equals(m.manifest().task()))
                .findFirst().orElse(null);
    }

    private static IllegalStateException missing(String id) {
        return new IllegalStateException("the reference pack's model " + id + " is not loaded");
    }

    public StudyAnalysis analyze(StudyInput study) throws OrtException {
        Laps laps = new Laps();
        List<String> notAssessed = new ArrayList<>();
        List<String> qcNotes = new ArrayList<>(study.qcNotes());
        Set<ModelUse> models = new LinkedHashSet<>();
        Map<String, LabelMap> maps = new LinkedHashMap<>();
        StudyInput.RoleVolume t1 = study.get(SeriesRole.T1);
        Findings.Midline midline = null;
        Findings.BrainAge age = null;
        Findings.Mci mci = null;
        MidSagittalPlane plane = null;
        if (t1 == null) {
            notAssessed.add("midline symmetry not assessed: no T1 series");
            notAssessed.add("brain age not assessed: no T1 series");
            notAssessed.add("MCI biomarkers not assessed: no T1 series");
        } else {
            T1Results r;
            try {
                r = analyzeT1(t1, study.demographics(), notAssessed, laps);
            } catch (MaskQcException e) {
                notAssessed.add("midline symmetry not assessed: " + e.getMessage());
                notAssessed.add("brain age not assessed: " + e.getMessage());
                notAssessed.add("MCI biomarkers not assessed: " + e.getMessage());
                r = null;
            }
            if (r != null) {
                midline = r.midline();
                age = r.brainAge();
                mci = r.mci();
                plane = r.plane();
                models.addAll(r.models());
                maps.put("labels_t1", new LabelMap(t1.seriesInstanceUid(), r.labels()));
            }
        }
        Findings.StrokeLesions lesion = null;
        DiffusionLesions diffusion = null;
        StudyInput.RoleVolume b1000 = study.get(SeriesRole.DWI_B1000);
        StudyInput.RoleVolume b0 = study.get(SeriesRole.DWI_B0);
        StudyInput.RoleVolume adc = study.get(SeriesRole.ADC);
        if (b1000 == null || (b0 == null && adc == null)) {
            notAssessed.add(b1000 == null && b0 == null && adc == null ? "stroke not assessed: no diffusion series"
                    : "stroke not assessed: needs a b=1000 trace with an ADC map or a b=0 image");
        } else {
            Volume adcVolume;
            String adcSource;
            if (adc != null) {
                adcVolume = adc.volume();
                adcSource = "scanner";
            } else {
                adcVolume = DiffusionLesions.computeAdc(b0.volume(), b1000.volume(), 1000);
                adcSource = "computed from b0 and b1000";
            }
            Volume reference = b0 != null ? b0.volume() : b1000.volume();
            Volume trace = b1000.volume();
            double b = b1000.bValue() == null ? 1000 : b1000.bValue();
            if (Math.abs(b - 1000) > 300 && b0 != null) {
                // The thresholds hold for b = 1000: a b = 2500 trace shows normal ADC differences
                // 2.5 times as strongly. Compute the b = 1000 image from b0 and the trace instead.
                trace = DiffusionLesions.computedTrace(b0.volume(), trace, b, 1000);
                qcNotes.add(String.format(Locale.ROOT,
                        "stroke assessed on a b=1000 image computed from b0 and the b=%.0f trace", b));
            }
            if (plane == null) {
                // No T1: the plane from the diffusion images themselves, with the signal clipped at
                // 1.5 times the head's median so that a bright territorial infarct (a third of a
                // hemisphere) cannot pull the mirror fit towards itself.
                Volume headMask = headMask(reference);
                double median = headMedian(reference, headMask);
                float[] clipped = reference.voxels().clone();
                for (int i = 0; i < clipped.length; i++) {
                    clipped[i] = (float) Math.min(clipped[i], 1.5 * median);
                }
                plane = MidSagittalPlane.estimate(reference.withVoxels(clipped), headMask, 0.5 * median);
            }
            Map<String, Volume> diffusionInputs = new LinkedHashMap<>();
            diffusionInputs.put("DWI_B1000", trace);
            diffusionInputs.put("ADC", adcVolume);
            if (b0 != null) {
                diffusionInputs.put("DWI_B0", b0.volume());
            }
            if (study.get(SeriesRole.FLAIR) != null) {
                diffusionInputs.put("FLAIR", study.get(SeriesRole.FLAIR).volume());
            }
            ModelUse method;
            String missingInput = missingInput(lesionModel, diffusionInputs);
            if (lesionModel != null && missingInput == null) {
                Volume labels = onGrid(lesionModel, diffusionInputs, trace);
                diffusion = DiffusionLesions.fromMask(trace, positive(labels), DiffusionLesions.adcOn(adcVolume, trace).voxels(),
                        adcSource, plane);
                method = ModelUse.of(lesionModel);
            } else {
                if (lesionModel != null) {
                    qcNotes.add(lesionModel.manifest().id() + " not run: it needs a " + missingInput
                            + " series; lesions from the built-in detector");
                }
                diffusion = DiffusionLesions.segment(reference, trace, adcVolume, adcSource, plane);
                method = ModelUse.builtIn("diffusion-lesion");
            }
            laps.lap("stroke lesions (DWI + ADC)");
            models.add(method);
            lesion = new Findings.StrokeLesions(b1000.seriesInstanceUid(), adcSource, diffusion.lesions().size(),
                    diffusion.totalVolumeMl(), diffusion.coreVolumeMl(), diffusion.hemisphereVolumeMl("left"),
                    diffusion.hemisphereVolumeMl("right"), diffusion.largestVolumeMl(), method);
            maps.put("lesion_mask", new LabelMap(b1000.seriesInstanceUid(), diffusion.mask()));
        }
        Findings.WhiteMatterLesions wmh = null;
        StudyInput.RoleVolume flair = study.get(SeriesRole.FLAIR);
        if (flair == null) {
            notAssessed.add("white-matter hyperintensities not assessed: no FLAIR series");
        } else {
            Map<String, Volume> wmhInputs = new LinkedHashMap<>();
            wmhInputs.put("FLAIR", flair.volume());
            if (t1 != null) {
                wmhInputs.put("T1", t1.volume());
            }
            String missingInput = missingInput(wmhModel, wmhInputs);
            WhiteMatterHyperintensities.Result w;
            ModelUse method;
            if (wmhModel != null && missingInput == null) {
                w = WhiteMatterHyperintensities.fromMask(onGrid(wmhModel, wmhInputs, flair.volume()));
                method = ModelUse.of(wmhModel);
            } else {
                if (wmhModel != null) {
                    qcNotes.add(wmhModel.manifest().id() + " not run: it needs a " + missingInput
                            + " series; hyperintensities from the built-in detector");
                }
                w = WhiteMatterHyperintensities.segment(flair.volume(), diffusion == null ? null : diffusion.mask());
                method = ModelUse.builtIn("flair-hyperintensity");
            }
            laps.lap("white-matter hyperintensities (FLAIR)");
            models.add(method);
            wmh = new Findings.WhiteMatterLesions(flair.seriesInstanceUid(), w.count(), w.volumeMl(), method);
            maps.put("wmh_mask", new LabelMap(flair.seriesInstanceUid(), w.mask()));
        }
        Findings findings = new Findings(study.studyInstanceUid(), lesion, wmh, midline, age, mci, notAssessed,
                new ArrayList<>(models), qcNotes, study.demographics());
        return new StudyAnalysis(findings, maps, laps.seconds);
    }

    /** The first input role {@code model} takes that the study lacks; null when it has them all (or there is no model). */
    private static String missingInput(ModelPack.Model model, Map<String, Volume> available) {
        if (model == null) {
            return null;
        }
        return model.manifest().inputRoles().stream().filter(r -> !available.containsKey(r)).findFirst().orElse(null);
    }

    /**
     * A lesion model's label map on {@code grid}: each input role resampled onto that grid (an ADC in
     * 10^-6 mm^2/s), normalised as the manifest says and stacked as channels in the manifest's order.
     */
    private Volume onGrid(ModelPack.Model model, Map<String, Volume> inputs, Volume grid) throws OrtException {
        List<Volume> channels = new ArrayList<>();
        for (String role : model.manifest().inputRoles()) {
            Volume v = inputs.get(role);
            channels.add("ADC".equals(role) ? DiffusionLesions.adcOn(v, grid)
                    : DiffusionLesions.sameGrid(v, grid) ? v : Resampler.resample(v, grid.blank(), Interpolation.LINEAR));
        }
        return Segmenter.segment(engine, model.onnx(), channels, model.manifest().channelNormalisations(),
                model.manifest().segmenterCrop());
    }

    private static boolean[] positive(Volume labels) {
        float[] l = labels.voxels();
        boolean[] out = new boolean[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i] > 0;
        }
        return out;
    }

    private record T1Results(Findings.Midline midline, Findings.BrainAge brainAge, Findings.Mci mci,
                             MidSagittalPlane plane, Volume labels, List<ModelUse> models) {
    }

    /** The intracranial mask failed its plausibility check: every T1 number would be wrong. */
    static final class MaskQcException extends Exception {
        MaskQcException(String message) {
            super(message);
        }
    }

    /**
     * Adult intracranial volumes lie within about 1.0-2.0 L (men and women, 5th-95th centile, with
     * margin); a mask outside 0.9-2.2 L has taken in the scalp or lost brain, and is not reported.
     */
    static final double MIN_ICV_ML = 900;
    static final double MAX_ICV_ML = 2200;

    private T1Results analyzeT1(StudyInput.RoleVolume t1, Demographics who, List<String> notAssessed, Laps laps)
            throws OrtException, MaskQcException {
        List<ModelUse> used = new ArrayList<>();
        BrainTissue brain = structureModel != null
                ? BrainTissue.fromStructureModel(engine, t1.volume(), importedMask, structureModel)
                : BrainTissue.segment(engine, t1.volume(), importedMask != null ? importedMask : brainMask, tissue);
        laps.lap("T1 intracranial mask and tissue");
        double maskMl = brain.intracranialMl();
        if (maskMl < MIN_ICV_ML || maskMl > MAX_ICV_ML) {
            throw new MaskQcException(String.format(Locale.ROOT,
                    "intracranial mask failed QC (%.0f mL, outside %.0f-%.0f mL)", maskMl, MIN_ICV_ML, MAX_ICV_ML));
        }
        used.add(brain.mask());
        used.add(brain.tissue());
        double[] c = brain.centres();
        MidSagittalPlane plane = MidSagittalPlane.estimate(brain.conformedT1(), brain.labels(), (c[2] - c[0]) / 2);
        BrainFrame frame = BrainFrame.fit(brain.labels(), plane);
        ModelUse symmetry = ModelUse.builtIn("mid-sagittal-symmetry");
        used.add(symmetry);
        SeptumShift septum = SeptumShift.measure(t1.volume(), plane, frame.origin(), (c[0] + c[1]) / 2);
        laps.lap("midline: plane and septum");
        if (septum == null) {
            notAssessed.add("midline shift not assessed: no septum pellucidum between two CSF-filled ventricles found");
        }
        // Tissue volumes in the conformed space. Ventricles and hippocampi: a structure model's own
        // labels; else deep CSF that is more than a fissure, and the anatomical prior.
        Volume conformedLabels = brain.labels();
        float[] labels = conformedLabels.voxels().clone();
        boolean structures = brain.hasStructures();
        if (!structures) {
            markVentricles(conformedLabels, frame, labels);
        }
        double[] left = new double[7];
        double[] right = new double[7];
        double voxelMl = conformedLabels.voxelVolumeMm3() / 1000;
        double voxelDepth = extentAlong(conformedLabels, plane.normal());
        for (int k = 0; k < conformedLabels.nz(); k++) {
            for (int j = 0; j < conformedLabels.ny(); j++) {
                for (int i = 0; i < conformedLabels.nx(); i++) {
                    int index = conformedLabels.index(i, j, k);
                    int label = Math.round(labels[index]);
                    if (label == 0) {
                        continue;
                    }
                    double[] p = conformedLabels.voxelToPatient(i, j, k);
                    double distance = plane.distance(p[0], p[1], p[2]);
                    if (label == BrainTissue.HIPPOCAMPUS) {
                        label = distance >= 0 ? LABEL_HIPPOCAMPUS_LEFT : LABEL_HIPPOCAMPUS_RIGHT;
                        labels[index] = label;
                    }
                    // A voxel the plane cuts counts on each side by the share of its depth there:
                    // counting it wholly to one side put 4,077 ventricular voxels of a symmetric
                    // brain on the left (15.8 % asymmetry).
                    double leftShare = Math.min(1, Math.max(0, 0.5 + distance / voxelDepth));
                    left[label] += leftShare * voxelMl;
                    right[label] += (1 - leftShare) * voxelMl;
                }
            }
        }
        double hippocampalGrey = left[LABEL_HIPPOCAMPUS_LEFT] + right[LABEL_HIPPOCAMPUS_LEFT]
                + left[LABEL_HIPPOCAMPUS_RIGHT] + right[LABEL_HIPPOCAMPUS_RIGHT];
        double csf = left[BrainTissue.CSF] + right[BrainTissue.CSF] + left[LABEL_VENTRICLES] + right[LABEL_VENTRICLES];
        double grey = left[BrainTissue.GREY] + right[BrainTissue.GREY] + hippocampalGrey;
        double white = left[BrainTissue.WHITE] + right[BrainTissue.WHITE];
        double ventricles = left[LABEL_VENTRICLES] + right[LABEL_VENTRICLES];
        double icv = csf + grey + white;
        Volume nativeLabels = Conform.toNative(conformedLabels.withVoxels(labels), t1.volume().blank(),
                Interpolation.NEAREST);
        double[] hippocampi;
        ModelUse hippocampusMethod;
        float[] out = nativeLabels.voxels().clone();
        if (structures) {
            hippocampi = new double[] {left[LABEL_HIPPOCAMPUS_LEFT] + right[LABEL_HIPPOCAMPUS_LEFT],
                left[LABEL_HIPPOCAMPUS_RIGHT] + right[LABEL_HIPPOCAMPUS_RIGHT]};
            hippocampusMethod = brain.tissue();
        } else {
            // Hippocampi on the native grid, drawn over the tissue labels.
            HippocampalPrior.Result h = HippocampalPrior.segment(t1.volume(), frame, c);
            float[] hl = h.labels().voxels();
            for (int i = 0; i < out.length; i++) {
                if (hl[i] > 0) {
                    out[i] = hl[i] == 1 ? LABEL_HIPPOCAMPUS_LEFT : LABEL_HIPPOCAMPUS_RIGHT;
                }
            }
            hippocampi = new double[] {h.leftMl(), h.rightMl()};
            hippocampusMethod = ModelUse.builtIn("hippocampal-prior");
        }
        used.add(hippocampusMethod);
        Double shift = septum == null ? null : septum.shiftMm();
        String direction = shift == null ? null : Math.abs(shift) < SHIFT_REPORTING_MM ? "none" : shift > 0 ? "left" : "right";
        Findings.Midline midline = new Findings.Midline(t1.seriesInstanceUid(), plane.normal(), plane.offsetMm(),
                plane.yawDeg(), plane.rollDeg(), shift == null ? null : Math.abs(shift), direction,
                asymmetry(left[BrainTissue.GREY], right[BrainTissue.GREY]),
                asymmetry(left[BrainTissue.WHITE], right[BrainTissue.WHITE]),
                asymmetry(left[LABEL_VENTRICLES], right[LABEL_VENTRICLES]), symmetry,
                septum == null ? null : septum.centrePatient());
        laps.lap("MCI: volumes and hippocampi");
        Double chronological = who.ageYears();
        Findings.BrainAge age = null;
        ModelUse ageModel = ModelUse.of(brainAge);
        if (projectionBrainAge != null && brain.brainMask() != null && !brain.mask().equals(ModelUse.of(brainMask))) {
            age = projectionBrainAge(t1, who, brain, notAssessed, used);
        } else if (!brain.mask().equals(ModelUse.of(brainMask)) || !brain.tissue().equals(ModelUse.of(tissue))) {
            if (projectionBrainAge != null) {
                notAssessed.add("brain age (" + projectionBrainAge.manifest().id() + ") not assessed: it needs a "
                        + "skull-stripping model's mask (import mindgrab), and " + brain.mask().modelId() + " gave none");
            }
            // The regression's weights belong to the reference segmentation's volumes. Another
            // segmenter draws the brain/CSF boundary elsewhere: mindgrab + model18cls put 23 % of a
            // healthy 41-year-old's ICV in CSF, more than the 19.5 % mean of the fit's phantoms aged
            // 40-90, and the regression read four healthy adults aged 24-41 as 66-73 years old.
            notAssessed.add("brain age not assessed: " + ageModel.modelId() + " " + ageModel.version()
                    + " is fitted on the reference pack's tissue volumes, not on " + brain.mask().modelId() + " + "
                    + brain.tissue().modelId() + " volumes");
        } else {
            float[] features = brainAgeFeatures(grey, white, csf, ventricles, hippocampi[0] + hippocampi[1]);
            double predicted = engine.run(brainAge.onnx(), features, new long[] {1, 1, 1, 1, features.length}).values()[0];
            if (chronological == null) {
                notAssessed.add("brain-age gap not assessed: no PatientAge, and no PatientBirthDate with StudyDate");
            }
            used.add(ageModel);
            age = new Findings.BrainAge(t1.seriesInstanceUid(), predicted, brainAgeUncertainty, chronological,
                    who.ageSource(), chronological == null ? null : predicted - chronological, ageModel, null, null);
        }
        laps.lap("brain age");
        List<NormativeModel.Score> norms = new ArrayList<>();
        Double risk = null;
        List<Findings.RiskFactor> factors = List.of();
        if (chronological == null || who.sex() == null) {
            notAssessed.add("normative scores and MCI risk not assessed: "
                    + (chronological == null ? "age unknown" : "PatientSex is not F or M"));
        } else {
            norms.add(NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, hippocampi[0], who.sex(), chronological, icv));
            norms.add(NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_RIGHT, hippocampi[1], who.sex(), chronological, icv));
            norms.add(NormativeModel.score(NormativeModel.Structure.GREY_MATTER, grey, who.sex(), chronological));
            norms.add(NormativeModel.score(NormativeModel.Structure.WHITE_MATTER, white, who.sex(), chronological));
            norms.add(NormativeModel.score(NormativeModel.Structure.VENTRICLES, ventricles, who.sex(), chronological));
            norms.add(NormativeModel.score(NormativeModel.Structure.TOTAL_BRAIN, grey + white, who.sex(), chronological));
            used.add(ModelUse.builtIn("nichart-dlmuse-norms"));
            if (chronological < NormativeModel.minAge() || chronological > NormativeModel.maxAge()) {
                // The likelihood ratios hold for the ages the norms were drawn from; a healthy
                // 24-year-old scored against 40-year-old norms got a risk of 40 %.
                notAssessed.add(String.format(Locale.ROOT, "MCI risk not assessed: age %.0f y is outside the normative "
                        + "range (%.0f-%.0f y); the z-scores use the nearest age's centiles and are flagged",
                        chronological, NormativeModel.minAge(), NormativeModel.maxAge()));
            } else {
                MciRisk.Result r = MciRisk.score(norms.get(0).z(), norms.get(1).z(), norms.get(2).z());
                risk = r.scorePct();
                factors = r.factors();
            }
        }
        Findings.Mci mci = new Findings.Mci(t1.seriesInstanceUid(), icv, grey, white, csf, ventricles, hippocampi[0],
                hippocampi[1], hippocampi[0] / icv, hippocampi[1] / icv, asymmetry(hippocampi[0], hippocampi[1]), norms,
                risk, factors, brain.tissue(), hippocampusMethod);
        laps.lap("MCI: normative scores and risk");
        return new T1Results(midline, age, mci, plane, nativeLabels.withVoxels(out), used);
    }

    /** The imported brain-age CNN on the T1's skull-stripping mask; null (with the reason noted) when not assessed. */
    private Findings.BrainAge projectionBrainAge(StudyInput.RoleVolume t1, Demographics who, BrainTissue brain,
                                                 List<String> notAssessed, List<ModelUse> used) throws OrtException {
        BrainAgeManifest m = projectionBrainAge.manifest();
        if (who.sex() == null) {
            // The model takes sex as an input and moves by up to 5 y with it; a guess would hide that.
            notAssessed.add("brain age not assessed: PatientSex is not F or M, and " + m.id() + " takes sex as an input");
            return null;
        }
        BrainAgeModel.Estimate e;
        try {
            e = projectionBrainAge.estimate(engine, brain.conformedT1(), brain.brainMask(), "M".equals(who.sex()));
        } catch (java.io.IOException ex) {
            notAssessed.add("brain age not assessed: the template of " + m.id() + " is unreadable");
            return null;
        }
        String refusal = refusal(e);
        if (refusal != null) {
            notAssessed.add("brain age not assessed: " + refusal);
            return null;
        }
        ModelUse use = new ModelUse(projectionBrainAge.directory().getFileName().toString(), m.id(), m.version());
        used.add(use);
        Double chronological = who.ageYears();
        if (chronological == null) {
            notAssessed.add("brain-age gap not assessed: no PatientAge, and no PatientBirthDate with StudyDate");
        }
        return new Findings.BrainAge(t1.seriesInstanceUid(), e.predictedYears(), e.uncertaintyYears(), chronological,
                who.ageSource(), chronological == null ? null : e.predictedYears() - chronological, use, e.memberSdYears(),
                BrainAgeModel.PREPROCESSING + "; mean of " + e.byMember().size() + " networks");
    }

    /** Why an ensemble's estimate is not to be reported (a poor registration, disagreeing networks), or null. */
    static String refusal(BrainAgeModel.Estimate e) {
        if (!(e.correlationRatio() >= MIN_REGISTRATION_CORRELATION_RATIO)) {
            return String.format(Locale.ROOT, "the registration to the template is poor (correlation ratio %.2f, below %.2f)",
                    e.correlationRatio(), MIN_REGISTRATION_CORRELATION_RATIO);
        }
        if (!(e.memberSdYears() <= MAX_ENSEMBLE_SD_YEARS)) {
            return String.format(Locale.ROOT, "the %d networks disagree (SD %.0f y, above %.0f y); the image is unlike "
                    + "the model's training data", e.byMember().size(), e.memberSdYears(), MAX_ENSEMBLE_SD_YEARS);
        }
        return null;
    }

    private static BrainAgeFit brainAgeFit() {
        try (java.io.InputStream in = ReferencePack.class.getResourceAsStream(ReferencePack.BRAIN_AGE_FIT)) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, BrainAgeFit.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the brain-age fit is part of the build", e);
        }
    }

    /**
     * Ventricles: CSF in the deep brain (within 60 % of the cavity's radii of its centre, where there
     * are no sulci) that survives a 3 x 3 x 3 opening, which removes the thin interhemispheric fissure.
     */
    private static void markVentricles(Volume labels, BrainFrame frame, float[] out) {
        int nx = labels.nx();
        int ny = labels.ny();
        int nz = labels.nz();
        float[] l = labels.voxels();
        boolean[] deep = new boolean[l.length];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int index = labels.index(i, j, k);
                    if (Math.round(l[index]) != BrainTissue.CSF) {
                        continue;
                    }
                    double[] q = frame.normalised(labels.voxelToPatient(i, j, k));
                    deep[index] = q[0] * q[0] + q[1] * q[1] + q[2] * q[2] < 0.36;
                }
            }
        }
        boolean[] opened = Morphology.dilate(Morphology.erode(deep, nx, ny, nz), nx, ny, nz);
        for (int i = 0; i < l.length; i++) {
            if (opened[i] && deep[i]) {
                out[i] = LABEL_VENTRICLES;
            }
        }
    }

    /** The brain-age model's inputs, in the order of its fit's feature names: fractions of the ICV. */
    static float[] brainAgeFeatures(double grey, double white, double csf, double ventricles, double hippocampi) {
        double icv = grey + white + csf;
        return new float[] {(float) (grey / icv), (float) (white / icv), (float) (csf / icv), (float) (ventricles / icv),
            (float) (hippocampi / icv * 1000)};
    }

    /** The depth of one voxel of {@code grid} along a unit direction: its extent across the plane. */
    static double extentAlong(Volume grid, double[] unit) {
        double[] d = grid.direction();
        double extent = 0;
        for (int axis = 0; axis < 3; axis++) {
            double along = d[axis] * unit[0] + d[3 + axis] * unit[1] + d[6 + axis] * unit[2];
            extent += Math.abs(along) * grid.spacing()[axis];
        }
        return extent;
    }

    static double asymmetry(double left, double right) {
        double mean = (left + right) / 2;
        return mean == 0 ? 0 : 100 * (left - right) / mean;
    }

    private static double headMedian(Volume image, Volume mask) {
        float[] v = image.voxels();
        float[] m = mask.voxels();
        float[] inside = new float[v.length];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (m[i] > 0) {
                inside[n++] = v[i];
            }
        }
        return DiffusionLesions.median(java.util.Arrays.copyOf(inside, Math.max(1, n)));
    }

    /** The head on a diffusion image (every positive voxel when skull-stripped), for the plane when there is no T1. */
    private static Volume headMask(Volume v) {
        double t = DiffusionLesions.headLevel(v.voxels());
        float[] m = new float[v.size()];
        float[] d = v.voxels();
        for (int i = 0; i < m.length; i++) {
            m[i] = d[i] > t ? 1 : 0;
        }
        return v.withVoxels(m);
    }
}
