// Reads NeuroGate's SR and SEG with dcmjs, the DICOM library OHIF is built on, the way OHIF does:
// the SR as a TID 1500 measurement report with image-region SCOORDs, each SEG through
// dcmjs.adapters.Cornerstone.Segmentation.generateToolState against its source series.
//
//   node check.js --sr SR.dcm --seg SEG.dcm [--seg ...] --source DIR [--source ...]
//
// Prints one JSON object; exits 1 when an object cannot be read as OHIF would read it.
"use strict";
const fs = require("fs");
const path = require("path");
const dcmjs = require("dcmjs");

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

function args(argv) {
  const out = { sr: [], seg: [], source: [] };
  for (let i = 2; i < argv.length; i += 2) {
    out[argv[i].replace(/^--/, "")].push(argv[i + 1]);
  }
  return out;
}

function read(file) {
  const bytes = fs.readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const message = DicomMessage.readFile(buffer);
  const dataset = DicomMetaDictionary.naturalizeDataset(message.dict);
  dataset._meta = DicomMetaDictionary.namifyDataset(message.meta);
  return { buffer, dataset };
}

function list(x) {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".dcm") ? [path.join(dir, e.name)] : []);
}

/** The SR's template and its image-region groups, as OHIF's TID 1500 parser walks them. */
function report(file) {
  const sr = read(file).dataset;
  const template = list(sr.ContentTemplateSequence)[0] || {};
  const regions = [];
  let groups = 0;
  const measurements = list(sr.ContentSequence).find((i) =>
    list(i.ConceptNameCodeSequence)[0]?.CodeValue === "126010");
  for (const group of list(measurements?.ContentSequence)) {
    groups++;
    const tracking = list(group.ContentSequence).find((i) =>
      list(i.ConceptNameCodeSequence)[0]?.CodeValue === "112039");
    for (const item of list(group.ContentSequence)) {
      if (item.ValueType !== "SCOORD" || list(item.ConceptNameCodeSequence)[0]?.CodeValue !== "111030") {
        continue;
      }
      const image = list(item.ContentSequence).find((c) => c.ValueType === "IMAGE" && c.RelationshipType === "SELECTED FROM");
      const ref = list(image?.ReferencedSOPSequence)[0] || {};
      regions.push({
        tracking: tracking?.TextValue,
        graphicType: item.GraphicType,
        points: list(item.GraphicData).length / 2,
        sopInstanceUid: ref.ReferencedSOPInstanceUID,
        frame: ref.ReferencedFrameNumber === undefined ? null : Number(list(ref.ReferencedFrameNumber)[0]),
      });
    }
  }
  return {
    file,
    templateIdentifier: template.TemplateIdentifier,
    mappingResource: template.MappingResource,
    measurementGroups: groups,
    regions,
  };
}

/** A Cornerstone-style metadata provider over the source images, one imageId per image or frame. */
function provider(sourceFiles) {
  const meta = new Map();
  const imageIds = [];
  for (const file of sourceFiles) {
    const d = read(file).dataset;
    const frames = Number(d.NumberOfFrames || 1);
    for (let f = 0; f < frames; f++) {
      const imageId = frames > 1 ? `dicomfile:${file}&frame=${f}` : `dicomfile:${file}`;
      let ipp = d.ImagePositionPatient;
      let iop = d.ImageOrientationPatient;
      if (frames > 1 || d.PerFrameFunctionalGroupsSequence) {
        const perFrame = list(d.PerFrameFunctionalGroupsSequence)[f] || {};
        const shared = list(d.SharedFunctionalGroupsSequence)[0] || {};
        ipp = list(perFrame.PlanePositionSequence)[0]?.ImagePositionPatient;
        iop = list(perFrame.PlaneOrientationSequence)[0]?.ImageOrientationPatient
          || list(shared.PlaneOrientationSequence)[0]?.ImageOrientationPatient;
      }
      const instance = { ...d, ImagePositionPatient: ipp, ImageOrientationPatient: iop };
      meta.set(imageId, {
        instance,
        imagePlaneModule: {
          rowCosines: iop.slice(0, 3).map(Number), columnCosines: iop.slice(3, 6).map(Number),
          imagePositionPatient: ipp.map(Number), rows: d.Rows, columns: d.Columns,
          frameOfReferenceUID: d.FrameOfReferenceUID,
        },
        generalSeriesModule: { seriesInstanceUID: d.SeriesInstanceUID },
        imagePixelModule: { rows: d.Rows, columns: d.Columns },
        sopCommonModule: { sopInstanceUID: d.SOPInstanceUID, sopClassUID: d.SOPClassUID },
      });
      imageIds.push(imageId);
    }
  }
  return { imageIds, get: (type, imageId) => meta.get(imageId)?.[type] };
}

/** The SEG loaded against its source series as OHIF's Cornerstone adapter loads it. */
function segmentation(file, sources) {
  const { buffer, dataset } = read(file);
  const series = list(dataset.ReferencedSeriesSequence)[0]?.SeriesInstanceUID;
  const sourceFiles = sources.filter((f) => read(f).dataset.SeriesInstanceUID === series);
  if (sourceFiles.length === 0) {
    return { file, error: `source series ${series} not found` };
  }
  const meta = provider(sourceFiles);
  // Cornerstone stacks run in slice order.
  const order = (id) => {
    const p = meta.get("imagePlaneModule", id);
    const n = [
      p.rowCosines[1] * p.columnCosines[2] - p.rowCosines[2] * p.columnCosines[1],
      p.rowCosines[2] * p.columnCosines[0] - p.rowCosines[0] * p.columnCosines[2],
      p.rowCosines[0] * p.columnCosines[1] - p.rowCosines[1] * p.columnCosines[0]];
    return p.imagePositionPatient.reduce((s, v, i) => s + v * n[i], 0);
  };
  const imageIds = [...meta.imageIds].sort((a, b) => order(a) - order(b));
  const warnings = [];
  const warn = console.warn;
  console.warn = (...m) => warnings.push(m.join(" "));
  try {
    const state = dcmjs.adapters.Cornerstone.Segmentation.generateToolState(imageIds, buffer, meta);
    const labels = new Uint16Array(state.labelmapBufferArray[0]);
    let labelled = 0;
    const segmentsSeen = new Set();
    for (const v of labels) {
      if (v) {
        labelled++;
        segmentsSeen.add(v);
      }
    }
    return {
      file,
      referencedSeries: series,
      sourceImages: imageIds.length,
      segments: state.segMetadata.data.filter(Boolean).map((s) => s.SegmentLabel),
      segmentsDrawn: [...segmentsSeen].sort(),
      labelledPixels: labelled,
      labelmaps: state.labelmapBufferArray.length,
      framesPlaced: state.segmentsOnFrame.filter((x) => x && x.length).length,
      warnings,
    };
  } catch (e) {
    return { file, referencedSeries: series, error: String(e && e.message || e), warnings };
  } finally {
    console.warn = warn;
  }
}

const a = args(process.argv);
const sources = a.source.flatMap(files);
const result = {
  dcmjs: JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("dcmjs")), "..", "package.json"))).version,
  reports: a.sr.map(report),
  segmentations: a.seg.map((f) => segmentation(f, sources)),
};
process.stdout.write(JSON.stringify(result, null, 2) + "\n");
const failed = result.reports.some((r) => r.templateIdentifier !== "1500" || r.regions.some((x) => !x.sopInstanceUid))
  || result.segmentations.some((s) => s.error || s.labelledPixels === 0 || s.warnings.length > 0);
process.exit(failed ? 1 : 0);
