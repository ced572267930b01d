package org.neurogate.inference.brainage;

import java.util.EnumMap;
import java.util.Map;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.registration.AffineRegistration;
import org.neurogate.inference.registration.AffineTransform;
import org.neurogate.inference.tissue.PartialVolumeTissue;
import org.neurogate.inference.volume.Volume;

/**
 * A subject's brain in the model's space, as the brain-age CNN's contract asks (FACTS.md of the pack):
 * the skull-stripped T1 registered affinely to the pack's template and resampled onto its grid with
 * zero outside the carried brain mask; {@code gm}, the grey-matter partial-volume fraction of that image
 * z-scored and shifted to a minimum of 0, within {@code z > 0}; {@code z}, the image corrected by the
 * bias field the tissue model estimated and z-scored over the whole grid, background included.
 *
 * @param z            the z-scored T1 on the template grid
 * @param gm           its grey-matter fraction, in [0, 1]
 * @param dims         the template grid's dimensions
 * @param registration the affine map found, template to subject
 * @param tissue       the tissue model fitted (class means, SDs)
 */
public record MniBrain(float[] z, float[] gm, int[] dims, AffineRegistration.Result registration,
                       PartialVolumeTissue.Result tissue) {

    /**
     * @param template the pack's skull-stripped template (its grid is the model's)
     * @param t1       the subject's T1, bias-corrected
     * @param brain    the subject's brain mask on the T1's grid (above 0.5 is brain)
     */
    public static MniBrain of(Volume template, Volume t1, Volume brain, AffineRegistration registration,
                              PartialVolumeTissue tissueModel) {
        SkullStripped s = SkullStripped.of(t1, brain);
        AffineRegistration.Result r = registration.register(template, s.brain());
        return onTemplate(template, s.brain(), s.mask(), r.fixedToMoving(), r, tissueModel);
    }

    /**
     * A T1 with zero outside its brain mask, and that mask as 0/1.
     *
     * @param brain the T1 within the mask, negative values clipped to 0
     * @param mask  1 in the brain, 0 elsewhere
     */
    public record SkullStripped(Volume brain, Volume mask) {

        /** @param brainMask on the T1's grid; above 0.5 is brain */
        public static SkullStripped of(Volume t1, Volume brainMask) {
            float[] stripped = t1.voxels().clone();
            float[] mask = brainMask.voxels();
            if (mask.length != stripped.length) {
                throw new IllegalArgumentException("the brain mask's grid differs from the T1's");
            }
            float[] binary = new float[mask.length];
            for (int i = 0; i < stripped.length; i++) {
                boolean in = mask[i] > 0.5f;
                binary[i] = in ? 1 : 0;
                stripped[i] = in ? Math.max(stripped[i], 0) : 0;
            }
            return new SkullStripped(t1.withVoxels(stripped), t1.withVoxels(binary));
        }
    }

    static MniBrain onTemplate(Volume template, Volume subjectBrain, Volume binaryMask, AffineTransform templateToSubject,
                               AffineRegistration.Result r, PartialVolumeTissue tissueModel) {
        float[] v = Resampler.resample(subjectBrain, template, templateToSubject, Interpolation.LINEAR).voxels();
        float[] carried = Resampler.resample(binaryMask, template, templateToSubject, Interpolation.LINEAR).voxels();
        for (int i = 0; i < v.length; i++) {
            if (carried[i] < 0.5f) {
                v[i] = 0;
            }
        }
        ZScore first = ZScore.of(v);
        float[] shifted = new float[v.length];
        boolean[] inBrain = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            shifted[i] = first.z()[i] - first.min();
            inBrain[i] = shifted[i] > 0;
        }
        int[] dims = {template.nx(), template.ny(), template.nz()};
        PartialVolumeTissue.Result tissue = tissueModel.segment(shifted, dims, template.spacing(), inBrain);
        // The contract's z is of the bias-corrected T1, and the tissue model's field is the estimate of that
        // bias (in z units): without it the z channels kept the scanner's shading, and on the Philips scan
        // they were further from the reference tensors (the SD of the max-z difference 0.111, now 0.080).
        float[] bias = tissue.bias();
        float[] corrected = v.clone();
        for (int i = 0; i < v.length; i++) {
            if (inBrain[i]) {
                corrected[i] = (float) Math.max(v[i] - bias[i] * first.sd(), 0);
            }
        }
        return new MniBrain(ZScore.of(corrected).z(), tissue.grey(), dims, r, tissue);
    }

    /** A volume z-scored over every voxel, background included (the contract's definition). */
    private record ZScore(float[] z, double sd, float min) {

        static ZScore of(float[] v) {
            double sum = 0;
            for (float x : v) {
                sum += x;
            }
            double mean = sum / v.length;
            double squares = 0;
            for (float x : v) {
                squares += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(squares / v.length);
            float[] z = new float[v.length];
            float min = Float.MAX_VALUE;
            for (int i = 0; i < v.length; i++) {
                z[i] = (float) ((v[i] - mean) / sd);
                min = Math.min(min, z[i]);
            }
            return new ZScore(z, sd, min);
        }
    }

    /** The three directions' [6, 218, 218] inputs. */
    public Map<ProjectionRecipe.Direction, float[]> projections(ProjectionRecipe recipe) {
        Map<ProjectionRecipe.Direction, float[]> out = new EnumMap<>(ProjectionRecipe.Direction.class);
        for (ProjectionRecipe.Direction d : ProjectionRecipe.Direction.values()) {
            out.put(d, recipe.project(z, gm, dims, d));
        }
        return out;
    }

    /** Grey-matter volume in mL: the fraction summed over the template grid, scaled back to the subject. */
    public double greyMatterMl(double voxelMm3) {
        double sum = 0;
        for (float g : gm) {
            sum += g;
        }
        return sum * voxelMm3 * registration.fixedToMoving().determinant() / 1000;
    }
}
