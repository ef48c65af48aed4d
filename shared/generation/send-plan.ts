/**
 * What a shot's generation will send, and what it leaves out and why: one function for the server's
 * resolver (which builds the request from it and records it on the take) and the client's shot
 * detail (which shows it before anyone queues). It also maps the shot's own references and the
 * board's continuity bible to the model's slots (each file's place among those of its kind) and
 * prompt syntax (`@image1` tags where the model reads them, prompt-tags.ts), so the panel shows
 * exactly the request. Pure data, no Node or DOM imports.
 */
import { BIBLE_ROLES, type BibleOverrides, type BibleRole, type ReferenceView, type ShotView, type TakeSent } from '../doc/index.js';
import type { TailAttachment } from './jobs.js';
import { mapPrompt, promptTag, tailSentence, type SentAs } from './prompt-tags.js';
import { listWords, type GenerationMode, type ModelInfo, type ReferenceRole, type VideoJobRequest } from './types.js';

export type AssetKind = 'image' | 'video' | 'audio';

/** Seconds of the previous take a chained shot gets (the end of its clip). */
export const DEFAULT_TAIL_SECONDS = 3;

export interface SendInputs {
  /** `durationSec` decides whether a model that extends clips can extend this one (absent: it cannot). */
  shot: Pick<ShotView, 'mode' | 'startFrame' | 'endFrame' | 'refs'> & { prompt?: string; bible?: BibleOverrides; durationSec?: number };
  references: readonly Pick<ReferenceView, 'id' | 'kind' | 'name' | 'versions' | 'currentVersion' | 'locked'>[];
  model: Pick<ModelInfo, 'label' | 'maxReferenceImages' | 'acceptsReferenceVideo' | 'maxReferenceVideos' | 'maxAudioRefs' | 'supportsLastFrame' | 'extendsClip' | 'referenceVideoSilences'> &
    Partial<Pick<ModelInfo, 'promptTags' | 'framesExcludeReferences'>>;
  /** The board's continuity bible (MetaView.bible): referenceId -> pinned version id or ''. */
  bible?: Readonly<Record<string, string>>;
  /** The kind of a stored file; undefined when unknown (then a 'clip' reference's files count as clips). */
  assetKind: (assetId: string) => AssetKind | undefined;
  /** The selected take's tail of the shot this one continues from: the clip and its last-frame still. */
  tail?: { assetId: string; frameAssetId: string; seconds: number };
  /** 'last_frame': continue from the tail's last frame even where the model could continue the clip itself (to compare costs). */
  continueBy?: 'native' | 'last_frame';
}

/** `TakeSent` plus the mode the request is made in (a text shot with a tail as start frame is image mode). */
export interface SendPlan extends TakeSent {
  mode: GenerationMode;
  /** Per sent reference: locked or not when sent (the cost report's "cost to lock a look"). */
  locked: Record<string, boolean>;
  /** The prompt as the model gets it (mentions mapped to its tags); undefined when the shot gave none. */
  prompt?: string;
  /** The model's own sound is off because the tail goes as a reference video (Kling 3.0 Omni). */
  silenced?: boolean;
}

const TAKES_REFERENCES: readonly GenerationMode[] = ['reference', 'extend'];
const TAKES_FRAMES: readonly GenerationMode[] = ['image', 'extend'];
const ROLE_NOUNS: Record<BibleRole, string> = { character: 'characters', location: 'locations', style: 'style', voice: 'voices' };

/** One reference the plan considers: the shot's own assignment, or a bible entry. */
interface Candidate {
  refId: string;
  pin: string;
  from: 'shot' | 'bible';
}

/** Decides, input by input, what the request carries; everything assigned but not sent gets a reason. */
export function planSend(input: SendInputs): SendPlan {
  const { shot, model } = input;
  const left: TakeSent['left'] = [];
  const plan: SendPlan = { mode: shot.mode, references: [], frames: [], left, locked: {} };
  const clipSlots = model.acceptsReferenceVideo ? model.maxReferenceVideos : 0;

  // The chain comes first: continuing the previous shot is the point of chaining it.
  if (input.tail) {
    const as = continuation(input, clipSlots, left);
    plan.tail = { assetId: input.tail.assetId, as, seconds: input.tail.seconds, frameAssetId: input.tail.frameAssetId };
    if (as === 'start_frame' && plan.mode === 'text') plan.mode = 'image';
    // An extension is its own request: the clip and the prompt, nothing else (below, all left out with why).
    if (as === 'extend') plan.mode = 'extend';
    // An image shot whose tail goes as a reference video on a model that takes frames or videos, not
    // both (Seedance 2.0): the request is a reference request; the shot's own frames are left out below.
    if (as === 'reference_video' && plan.mode === 'image' && model.framesExcludeReferences) plan.mode = 'reference';
    if (as === 'reference_video' && model.referenceVideoSilences) {
      plan.silenced = true;
      left.push({ what: 'generated sound', why: `${model.label} makes no sound when a reference video is sent` });
    }
  }
  const tailIsFirstFrame = plan.tail?.as === 'start_frame';
  const extending = plan.tail?.as === 'extend';

  const frames: Array<['first' | 'last', string | undefined, string]> = [['first', shot.startFrame, 'start frame'], ['last', shot.endFrame, 'end frame']];
  for (const [role, assetId, what] of frames) {
    if (!assetId) continue;
    if (extending) left.push({ what, why: `${model.label} extends the chained clip on its own; no frames go with it` });
    else if (!TAKES_FRAMES.includes(shot.mode)) left.push({ what, why: `${shot.mode} mode sends no frames; use image or extend mode to send it` });
    else if (role === 'first' && tailIsFirstFrame) left.push({ what, why: 'the chained tail is the start frame' });
    // Seedance 2.0: frames and reference videos exclude each other, and the chain comes first.
    else if (plan.tail?.as === 'reference_video' && model.framesExcludeReferences) left.push({ what, why: `${model.label} cannot combine frames with the chained tail sent as a reference video` });
    else if (role === 'last' && !model.supportsLastFrame) left.push({ what, why: `${model.label} cannot use an end frame` });
    else plan.frames.push({ role, assetId });
  }

  // A default must not block a shot: where the model cannot mix frames and references, the shot's
  // frames (or the chained tail as its start frame) go and the bible waits.
  const framesWin = Boolean(input.model.framesExcludeReferences) && (plan.frames.length > 0 || tailIsFirstFrame);
  const candidates = candidatesOf(input, left, framesWin);
  let images = 0;
  let audios = 0;
  let clips = tailIsFirstFrame || !plan.tail ? 0 : 1;
  for (const { refId, pin, from } of candidates) {
    const ref = input.references.find((r) => r.id === refId);
    if (!ref) continue; // a shot's assignment deleted since: nothing to send or to say (bible ones are named in candidatesOf)
    const what = from === 'bible' ? `'${ref.name}' (bible)` : `'${ref.name}'`;
    const version = ref.versions.find((v) => v.id === (pin || ref.currentVersion));
    if (extending) {
      left.push({ what, why: `${model.label} extends the chained clip on its own; no references go with it` });
      continue;
    }
    if (!TAKES_REFERENCES.includes(shot.mode)) {
      if (from === 'shot') left.push({ what, why: `${shot.mode} mode sends no references; use reference or extend mode to send them` });
      continue;
    }
    if (!version) {
      left.push({ what, why: pin ? 'its pinned version no longer exists; pick another' : 'it has no version yet; add one in References' });
      continue;
    }
    if (version.assets.length === 0) {
      left.push({ what, why: `its version "${version.beat}" has no files` });
      continue;
    }
    const all = version.assets.map((assetId) => ({ assetId, as: sentAs(input.assetKind(assetId) ?? (ref.kind === 'clip' ? 'video' : 'image')) }));
    const role = bibleRoleOf(ref.kind, all.map((a) => a.as));
    const override = role ? shot.bible?.[role] : undefined;
    if (from === 'bible' && !role) {
      left.push({ what, why: `a ${ref.kind} is not a bible role (${BIBLE_ROLES.map((r) => ROLE_NOUNS[r]).join(', ')}); assign it to shots instead` });
      continue;
    }
    if (role && override === 'drop') {
      left.push({ what, why: `this shot drops ${ROLE_NOUNS[role]}` });
      continue;
    }
    if (role && override === 'replace' && from === 'bible') {
      left.push({ what, why: `this shot replaces the bible's ${ROLE_NOUNS[role]} with its own` });
      continue;
    }
    // A reference's sound (a character's voice line) goes where the model takes audio; where it
    // does not, or its slots are full, the pictures still go and the sound is named as left out.
    const sounds = all.filter((a) => a.as === 'audio');
    const audioWhy = sounds.length > 0 ? audioProblem(model, audios, sounds.length) : undefined;
    const assets = audioWhy ? all.filter((a) => a.as !== 'audio') : all;
    if (audioWhy) left.push({ what: `${what} audio`, why: audioWhy });
    if (assets.length === 0) continue;
    const wantClips = assets.filter((a) => a.as === 'clip').length;
    const wantImages = assets.filter((a) => a.as === 'image').length;
    const why = slotProblem(model, clipSlots, { images, clips, wantImages, wantClips, tailHoldsClip: Boolean(plan.tail && !tailIsFirstFrame) });
    if (why) {
      left.push({ what, why });
      continue;
    }
    images += wantImages;
    clips += wantClips;
    audios += assets.length - wantImages - wantClips;
    plan.references.push({
      referenceId: ref.id, versionId: version.id, name: ref.name, kind: ref.kind, role: role ?? roleOf(ref.kind) ?? ref.kind, beat: version.beat, pinned: Boolean(pin),
      ...(from === 'bible' ? { from } : {}), assets,
    });
    plan.locked[ref.id] = ref.locked;
  }
  numberSlots(plan, model.promptTags);
  if (shot.prompt !== undefined) {
    const tagged = plan.references.map((r) => ({ name: r.name, role: r.role, tags: r.assets.flatMap((a) => (a.tag ? [{ as: a.as, tag: a.tag }] : [])) }));
    plan.prompt = mapPrompt(shot.prompt, tagged, input.references.map((r) => r.name));
    // The tail goes after the references' clips (applySend), so its slot is one past theirs.
    const tailClip = plan.references.flatMap((r) => r.assets).filter((a) => a.as === 'clip').length + 1;
    const lead = plan.tail?.as === 'reference_video' ? tailSentence(model.promptTags, tailClip) : undefined;
    if (lead) plan.prompt = [lead, plan.prompt].filter(Boolean).join(' ');
  }
  return plan;
}

/**
 * The references to consider, in the order they take slots: the shot's own assignments first (it
 * chose them), then the bible by role (characters, locations, style, voices) in library order. A
 * bible entry the shot also assigns is its own (its pin wins); one whose reference was deleted is
 * named as left out here, since nothing else knows its name.
 */
function candidatesOf(input: SendInputs, left: TakeSent['left'], framesWin: boolean): Candidate[] {
  const own: Candidate[] = Object.entries(input.shot.refs).map(([refId, pin]) => ({ refId, pin, from: 'shot' }));
  const entries = Object.entries(input.bible ?? {}).filter(([refId]) => !(refId in input.shot.refs));
  for (const [refId] of entries) {
    if (!input.references.some((r) => r.id === refId)) left.push({ what: 'a bible entry', why: 'its reference was deleted; remove it from the continuity bible' });
  }
  const live = entries.filter(([refId]) => input.references.some((r) => r.id === refId));
  const whole = `the continuity bible (${live.length} ${live.length === 1 ? 'reference' : 'references'})`;
  if (live.length > 0 && !TAKES_REFERENCES.includes(input.shot.mode)) {
    left.push({ what: whole, why: `${input.shot.mode} mode sends no references; use reference or extend mode to send them` });
  } else if (live.length > 0 && framesWin) {
    left.push({ what: whole, why: `${input.model.label} cannot combine frames with references, and this shot sends a start or end frame` });
    return own;
  }
  const libraryOrder = (refId: string) => input.references.findIndex((r) => r.id === refId);
  const rank = (refId: string) => {
    const role = referenceRole(input.references[libraryOrder(refId)]!, input.bible![refId]!, input.assetKind);
    return role ? BIBLE_ROLES.indexOf(role) : BIBLE_ROLES.length;
  };
  const bible = live
    .map(([refId, pin]) => ({ refId, pin, from: 'bible' as const, order: [rank(refId), libraryOrder(refId)] as const }))
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
    .map(({ refId, pin, from }) => ({ refId, pin, from }));
  return [...own, ...bible];
}

/**
 * The bible role of a reference sending files `files`: 'voice' when they are all sound, else its
 * kind when that is a role (props and clips are not).
 */
export function bibleRoleOf(kind: string, files: readonly SentAs[]): BibleRole | undefined {
  if (files.length > 0 && files.every((f) => f === 'audio')) return 'voice';
  return kind === 'character' || kind === 'location' || kind === 'style' ? kind : undefined;
}

/** The bible role of `ref` at version `pin` ('' for current): what the bible groups it under. */
export function referenceRole(ref: SendInputs['references'][number], pin: string, assetKind: SendInputs['assetKind']): BibleRole | undefined {
  const files = ref.versions.find((v) => v.id === (pin || ref.currentVersion))?.assets ?? [];
  return bibleRoleOf(ref.kind, files.map((id) => sentAs(assetKind(id) ?? (ref.kind === 'clip' ? 'video' : 'image'))));
}

/** Numbers each sent file among those of its kind, in request order, and tags it where the model reads tags. */
function numberSlots(plan: SendPlan, style: ModelInfo['promptTags']): void {
  const next: Record<SentAs, number> = { image: 0, clip: 0, audio: 0 };
  for (const ref of plan.references) {
    ref.assets = ref.assets.map((a) => {
      const slot = (next[a.as] += 1);
      const tag = promptTag(style, a.as, slot);
      return { ...a, slot, ...(tag ? { tag } : {}) };
    });
  }
}

/**
 * How the chained tail goes: the model extends the clip itself when it can at this shot's length,
 * else as a reference video where it takes one, else its last frame as the first frame. A native
 * path not taken is named in `left` with the reason (the person sees why the cheaper or the
 * better-matching path was not used).
 */
function continuation(input: SendInputs, clipSlots: number, left: TakeSent['left']): TailAttachment {
  const { model, shot } = input;
  const extend = model.extendsClip;
  const native = extend ? 'native extend' : clipSlots > 0 ? 'the tail as a reference video' : undefined;
  if (input.continueBy === 'last_frame') {
    if (native) left.push({ what: native, why: 'the last frame is asked for instead' });
    return 'start_frame';
  }
  if (extend) {
    if (shot.durationSec !== undefined && extend.durations.includes(shot.durationSec)) return 'extend';
    left.push({ what: 'native extend', why: `${model.label} extends a clip by ${listWords(extend.durations.map(String), 'or')} s; this shot is ${shot.durationSec ?? '?'} s` });
  }
  return clipSlots > 0 ? 'reference_video' : 'start_frame';
}

/** Why a reference does not fit the model's remaining slots, or undefined when it fits. */
function slotProblem(
  model: SendInputs['model'],
  clipSlots: number,
  n: { images: number; clips: number; wantImages: number; wantClips: number; tailHoldsClip: boolean },
): string | undefined {
  if (n.wantClips > 0 && clipSlots === 0) return `clip references need a model that takes reference video; ${model.label} does not`;
  if (n.clips + n.wantClips > clipSlots) {
    return `${model.label} takes at most ${clipSlots} reference ${clipSlots === 1 ? 'clip' : 'clips'}${n.tailHoldsClip ? ' and the chained tail holds one' : ''}`;
  }
  if (n.wantImages > 0 && model.maxReferenceImages === 0) return `${model.label} takes no reference images`;
  if (n.images + n.wantImages > model.maxReferenceImages) return `${model.label} takes at most ${model.maxReferenceImages} reference images`;
  return undefined;
}

/** How a stored file of this kind is sent. */
function sentAs(kind: AssetKind): SentAs {
  return kind === 'video' ? 'clip' : kind;
}

/** Why a reference's audio files do not fit the model's audio slots, or undefined when they fit. */
function audioProblem(model: SendInputs['model'], used: number, want: number): string | undefined {
  if (model.maxAudioRefs === 0) return `${model.label} takes no reference audio`;
  if (used + want > model.maxAudioRefs) return `${model.label} takes at most ${model.maxAudioRefs} reference audio ${model.maxAudioRefs === 1 ? 'file' : 'files'}`;
  return undefined;
}

/** The request's inputs made from a plan: mode, frames, reference images, clips and audio, the tail. */
export function applySend(base: VideoJobRequest, plan: SendPlan): VideoJobRequest {
  const req: VideoJobRequest = { ...base, mode: plan.mode, ...(plan.prompt !== undefined ? { prompt: plan.prompt } : {}) };
  delete req.firstFrame;
  delete req.lastFrame;
  delete req.referenceImages;
  delete req.referenceVideos;
  delete req.referenceAudios;
  for (const f of plan.frames) req[f.role === 'first' ? 'firstFrame' : 'lastFrame'] = { assetId: f.assetId };
  if (plan.tail?.as === 'start_frame' && plan.tail.frameAssetId) req.firstFrame = { assetId: plan.tail.frameAssetId };
  for (const ref of plan.references) {
    const role = roleOf(ref.kind);
    for (const a of ref.assets) {
      if (a.as === 'clip') (req.referenceVideos ??= []).push({ assetId: a.assetId });
      else if (a.as === 'audio') (req.referenceAudios ??= []).push({ assetId: a.assetId });
      else (req.referenceImages ??= []).push({ media: { assetId: a.assetId }, ...(role ? { role } : {}) });
    }
  }
  if (plan.tail?.as === 'reference_video') (req.referenceVideos ??= []).push({ assetId: plan.tail.assetId });
  delete req.extendVideo;
  if (plan.tail?.as === 'extend') req.extendVideo = { assetId: plan.tail.assetId };
  // Kling 3.0 Omni: with a reference video the sound is off, and the request (and its price) say so.
  if (plan.tail?.as === 'reference_video' && plan.silenced) req.generateAudio = false;
  return req;
}

/** The part of a plan a take records (drops the effective mode, lock flags and prompt: the take has its own). */
export function sentRecord(plan: SendPlan): TakeSent {
  const { references, frames, tail, left } = plan; // mode, locked and silenced are the request's business
  return { references, frames, ...(tail ? { tail } : {}), left };
}

function roleOf(kind: string): ReferenceRole | undefined {
  return kind === 'character' || kind === 'location' || kind === 'style' || kind === 'prop' ? kind : undefined;
}
