package org.neurogate.inference.analysis;

/**
 * Every concept a NeuroGate measurement is coded with, in one place. SNOMED CT (SCT) and DICOM (DCM)
 * codes where the standard has them; 99NEUROGATE private codes (PS3.16 8.3 local coding scheme)
 * where it has none, such as a brain-age gap.
 */
public final class Concepts {

    public static final String LOCAL = "99NEUROGATE";

    public static final CodedConcept VOLUME = new CodedConcept("SCT", "118565006", "Volume");
    public static final CodedConcept DISTANCE = new CodedConcept("SCT", "246132006", "Distance");
    public static final CodedConcept INFARCT = new CodedConcept("SCT", "55641003", "Infarct");
    public static final CodedConcept ISCHAEMIC_CORE = new CodedConcept(LOCAL, "NG-CORE", "Ischemic core (ADC < 620)");
    public static final CodedConcept LESION_COUNT = new CodedConcept(LOCAL, "NG-LESION-COUNT", "Number of lesions");
    public static final CodedConcept LARGEST_LESION = new CodedConcept(LOCAL, "NG-LESION-MAX", "Largest lesion volume");
    public static final CodedConcept LEFT_HEMISPHERE_LESION = new CodedConcept(LOCAL, "NG-LESION-LEFT", "Lesion volume, left hemisphere");
    public static final CodedConcept RIGHT_HEMISPHERE_LESION = new CodedConcept(LOCAL, "NG-LESION-RIGHT", "Lesion volume, right hemisphere");
    public static final CodedConcept WMH = new CodedConcept(LOCAL, "NG-WMH", "White matter hyperintensity");
    public static final CodedConcept WMH_COUNT = new CodedConcept(LOCAL, "NG-WMH-COUNT", "Number of white matter hyperintensities");
    public static final CodedConcept MIDLINE_SHIFT = new CodedConcept(LOCAL, "NG-MIDLINE-SHIFT", "Midline shift");
    public static final CodedConcept MSP_YAW = new CodedConcept(LOCAL, "NG-MSP-YAW", "Mid-sagittal plane yaw");
    public static final CodedConcept MSP_ROLL = new CodedConcept(LOCAL, "NG-MSP-ROLL", "Mid-sagittal plane roll");
    public static final CodedConcept MSP_OFFSET = new CodedConcept(LOCAL, "NG-MSP-OFFSET", "Mid-sagittal plane offset");
    public static final CodedConcept GM_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-GM", "Grey matter asymmetry index");
    public static final CodedConcept WM_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-WM", "White matter asymmetry index");
    public static final CodedConcept VENTRICLE_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-VENT", "Ventricle asymmetry index");
    public static final CodedConcept BRAIN_AGE = new CodedConcept(LOCAL, "NG-BRAIN-AGE", "Predicted brain age");
    public static final CodedConcept BRAIN_AGE_UNCERTAINTY = new CodedConcept(LOCAL, "NG-AGE-SD", "Brain age uncertainty");
    public static final CodedConcept BRAIN_AGE_GAP = new CodedConcept(LOCAL, "NG-AGE-GAP", "Brain age gap");
    public static final CodedConcept INTRACRANIAL_VOLUME = new CodedConcept(LOCAL, "NG-ICV", "Intracranial volume");
    public static final CodedConcept GREY_MATTER = new CodedConcept(LOCAL, "NG-GREY-MATTER", "Grey matter");
    public static final CodedConcept WHITE_MATTER = new CodedConcept(LOCAL, "NG-WHITE-MATTER", "White matter");
    public static final CodedConcept CSF = new CodedConcept("SCT", "65216001", "Cerebrospinal fluid");
    public static final CodedConcept VENTRICLES = new CodedConcept("SCT", "35764002", "Brain ventricle");
    public static final CodedConcept HIPPOCAMPUS_LEFT = new CodedConcept(LOCAL, "NG-HIPPO-L", "Left hippocampus");
    public static final CodedConcept HIPPOCAMPUS_RIGHT = new CodedConcept(LOCAL, "NG-HIPPO-R", "Right hippocampus");
    public static final CodedConcept HIPPOCAMPUS_LEFT_ICV = new CodedConcept(LOCAL, "NG-HIPPO-L-ICV", "Left hippocampus / ICV");
    public static final CodedConcept HIPPOCAMPUS_RIGHT_ICV = new CodedConcept(LOCAL, "NG-HIPPO-R-ICV", "Right hippocampus / ICV");
    public static final CodedConcept HIPPOCAMPAL_ASYMMETRY = new CodedConcept(LOCAL, "NG-AI-HIPPO", "Hippocampal asymmetry index");
    public static final CodedConcept Z_HIPPOCAMPUS_LEFT = new CodedConcept(LOCAL, "NG-Z-HIPPO-L", "Left hippocampus z-score");
    public static final CodedConcept Z_HIPPOCAMPUS_RIGHT = new CodedConcept(LOCAL, "NG-Z-HIPPO-R", "Right hippocampus z-score");
    public static final CodedConcept Z_GREY_MATTER = new CodedConcept(LOCAL, "NG-Z-GM", "Grey matter z-score");
    public static final CodedConcept Z_WHITE_MATTER = new CodedConcept(LOCAL, "NG-Z-WM", "White matter z-score");
    public static final CodedConcept Z_VENTRICLES = new CodedConcept(LOCAL, "NG-Z-VENT", "Ventricle volume z-score");
    public static final CodedConcept Z_TOTAL_BRAIN = new CodedConcept(LOCAL, "NG-Z-BRAIN", "Total brain volume z-score");
    /** Segmentation categories (CID 7150). */
    public static final CodedConcept CATEGORY_ANATOMY = new CodedConcept("SCT", "91723000", "Anatomical Structure");
    public static final CodedConcept CATEGORY_TISSUE = new CodedConcept("SCT", "85756007", "Tissue");
    public static final CodedConcept CATEGORY_ALTERED = new CodedConcept("SCT", "49755003", "Morphologically Altered Structure");
    public static final CodedConcept MCI_RISK = new CodedConcept(LOCAL, "NG-MCI-RISK", "MCI-like atrophy risk score");

    private Concepts() {
    }

    /** The z-score concept of a normative structure. */
    public static CodedConcept zScore(NormativeModel.Structure structure) {
        return switch (structure) {
            case HIPPOCAMPUS_LEFT -> Z_HIPPOCAMPUS_LEFT;
            case HIPPOCAMPUS_RIGHT -> Z_HIPPOCAMPUS_RIGHT;
            case GREY_MATTER -> Z_GREY_MATTER;
            case WHITE_MATTER -> Z_WHITE_MATTER;
            case VENTRICLES -> Z_VENTRICLES;
            case TOTAL_BRAIN -> Z_TOTAL_BRAIN;
        };
    }

    /** The private coding scheme's identification (PS3.3 C.12.1.1.4), for every object that uses it. */
    public static final String LOCAL_SCHEME_NAME = "NeuroGate local codes";
    public static final String LOCAL_SCHEME_OWNER = "NeuroGate";
}
