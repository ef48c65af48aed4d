/**
 * Checks a request against a model's capabilities and answers in words a producer understands.
 * Shared so the client can show the same messages before anyone presses Generate.
 */
import { MAX_SHOT_DURATION_SEC } from '../doc/schema.js';
import {
  describeDurations,
  durationAllowed,
  listWords,
  shortDurations,
  type ModelInfo,
  type VideoJobRequest,
} from './types.js';

type Check = (req: VideoJobRequest, model: ModelInfo) => string | undefined;

/**
 * Longest prompt a shot may send, in characters (UTF-16 code units, as a textarea counts them).
 * Hosted models take 1,000 to 2,500; past this a prompt is an essay no model reads whole. The
 * shot detail shows a counter against it; the document itself does not refuse longer text (two
 * people typing at once could cross it together), sending does.
 */
export const MAX_PROMPT_CHARS = 2000;

const modeChecks: Check[] = [
  (req, m) =>
    m.modes.includes(req.mode)
      ? undefined
      : `${m.label} cannot make ${req.mode}-mode shots; it supports ${listWords(m.modes.map(String), 'and')}.`,
  (req) =>
    req.mode === 'text' && !req.prompt?.trim() ? 'Text mode needs a prompt: describe the shot.' : undefined,
  (req) =>
    (req.prompt?.length ?? 0) > MAX_PROMPT_CHARS
      ? `Prompt: at most ${MAX_PROMPT_CHARS} characters; this one has ${req.prompt!.length}. Shorten it.`
      : undefined,
  (req) =>
    req.mode === 'image' && !req.firstFrame ? 'Image mode needs a start frame: add one to the shot.' : undefined,
  (req) =>
    req.mode === 'reference' && !count(req.referenceImages) && !count(req.referenceVideos)
      ? 'Reference mode needs at least one reference: assign a character, location, style or prop.'
      : undefined,
  (req) =>
    req.mode === 'extend' && !count(req.referenceVideos) && !req.firstFrame && !req.extendVideo
      ? 'Extend mode needs a clip to continue from: select a take on the shot it continues.'
      : undefined,
];

const inputChecks: Check[] = [
  (req, m) => {
    if (!req.extendVideo) return undefined;
    if (!m.extendsClip) return `${m.label} cannot extend a clip itself.`;
    const withIt = Boolean(req.firstFrame || req.lastFrame) || count(req.referenceImages) + count(req.referenceVideos) > 0;
    return withIt ? `${m.label} extends a clip on its own: no frames or references go with it.` : undefined;
  },
  (req, m) => {
    const n = count(req.referenceImages);
    if (!n || n <= m.maxReferenceImages) return undefined;
    if (m.maxReferenceImages === 0) return `${m.label} does not take reference images; remove the ${n} assigned.`;
    return `${m.label} takes at most ${m.maxReferenceImages} reference images; this shot has ${n}.`;
  },
  (req, m) => {
    const n = count(req.referenceVideos);
    if (!n) return undefined;
    if (!m.acceptsReferenceVideo) return `${m.label} does not take reference videos.`;
    return n > m.maxReferenceVideos
      ? `${m.label} takes at most ${m.maxReferenceVideos} reference videos; this shot has ${n}.`
      : undefined;
  },
  (req, m) => {
    const n = count(req.referenceAudios);
    if (!n || n <= m.maxAudioRefs) return undefined;
    return m.maxAudioRefs === 0 ? `${m.label} does not take reference audio.` : `${m.label} takes at most ${m.maxAudioRefs} reference audio files; this shot has ${n}.`;
  },
  (req, m) => (req.lastFrame && !m.supportsLastFrame ? `${m.label} cannot use an end frame; remove it.` : undefined),
  (req) => (req.lastFrame && !req.firstFrame ? 'An end frame needs a start frame as well.' : undefined),
  (req, m) => {
    const frames = Boolean(req.firstFrame || req.lastFrame);
    const refs = count(req.referenceImages) + count(req.referenceVideos) > 0;
    return m.framesExcludeReferences && frames && refs
      ? `${m.label} cannot combine start or end frames with references; use one or the other.`
      : undefined;
  },
];

const outputChecks: Check[] = [
  (req, m) => {
    // An extension has lengths of its own (Veo on Vertex adds about 7 s), whatever a new clip may be.
    const lengths = req.extendVideo && m.extendsClip ? ({ kind: 'list', values: m.extendsClip.durations } as const) : m.durations;
    return durationAllowed(lengths, req.durationSec)
      ? undefined
      : `${m.label} ${req.extendVideo ? 'extends a clip by' : 'makes clips of'} ${describeDurations(lengths)}; this shot is ${req.durationSec} s.`;
  },
  (req, m) =>
    m.aspectRatios.includes(req.aspectRatio)
      ? undefined
      : `${m.label} supports ${listWords([...m.aspectRatios], 'and')} frames; this board is ${req.aspectRatio}.`,
  (req, m) =>
    req.resolution && !m.resolutions.includes(req.resolution)
      ? `${m.label} renders at ${listWords([...m.resolutions], 'or')}, not ${req.resolution}.`
      : undefined,
];

/** Every problem with `req` for `model`, as sentences; empty when the request fits. */
export function validateRequest(req: VideoJobRequest, model: ModelInfo): string[] {
  const messages: string[] = [];
  for (const check of [...modeChecks, ...inputChecks, ...outputChecks]) {
    const message = check(req, model);
    if (message) messages.push(message);
  }
  return messages;
}

function count(list: readonly unknown[] | undefined): number {
  return list?.length ?? 0;
}

/**
 * Why `seconds` cannot be a shot's duration, with the allowed values in a producer's words
 * ("Seedance 2.0 (BytePlus): 4-15 s"); undefined when it can. Without a known model the board's
 * own limit applies. Shown next to the duration field, before anything is written.
 */
export function durationProblem(seconds: number, model: Pick<ModelInfo, 'label' | 'durations' | 'extendsClip'> | undefined, chained = false): string | undefined {
  if (!model) {
    return Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_SHOT_DURATION_SEC ? undefined : `Duration: more than 0 s, up to ${MAX_SHOT_DURATION_SEC} s`;
  }
  if (Number.isFinite(seconds) && durationAllowed(model.durations, seconds) && seconds <= MAX_SHOT_DURATION_SEC) return undefined;
  // A chained shot may be as long as the model extends a clip by (it is sent as an extension).
  if (chained && model.extendsClip?.durations.includes(seconds)) return undefined;
  const whole = model.durations.kind === 'range' && Number.isFinite(seconds) && !Number.isInteger(seconds) ? 'whole seconds, ' : '';
  return `${model.label}: ${whole}${shortDurations(model.durations)}`;
}
