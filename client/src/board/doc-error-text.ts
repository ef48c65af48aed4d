/**
 * A refused document write in a producer's words. Accessors refuse with the schema's wording
 * ("shots.shot_x.durationSec: expected a finite number in (0, 60], got 0"), which is right for a
 * log and wrong for a toast: this names the field and says what it accepts ("Duration: more
 * than 0, up to 60"). Fields check their own values first; this is the net under them.
 */
import { DocError } from '../../../shared/doc';

const FIELD_NAMES: Record<string, string> = {
  title: 'Title',
  durationSec: 'Duration (seconds)',
  model: 'Model',
  mode: 'Mode',
  shotSize: 'Shot size',
  camera: 'Camera',
  status: 'Status',
  assignee: 'Assignee',
  startFrame: 'Start frame',
  endFrame: 'End frame',
  continuesFrom: 'Continues from',
  aspectRatio: 'Aspect ratio',
  defaultModel: 'Default model',
  budgetMicroUsd: 'Budget (USD)',
  sprintStart: 'Sprint start',
  sprintEnd: 'Sprint end',
  fps: 'Frame rate',
  crossfadeSec: 'Crossfade (seconds)',
  trimOverlap: 'Trim overlap',
  name: 'Name',
  kind: 'Kind',
  beat: 'Beat',
};

const NUMBER_RE = /^a (?:finite|whole) number in ([[(])(-?[\d.e+]+), (-?[\d.e+]+)\]$/;

export function docErrorText(err: DocError): string {
  const m = /^(?:[\w.-]+\.)?(\w+): (?:expected )?(.+?)(?:, got .*)?$/.exec(err.message);
  if (!m || err.code !== 'invalid_value') return err.message;
  const [, key, rest] = m as unknown as [string, string, string];
  const field = FIELD_NAMES[key!] ?? key;
  return `${field}: ${allowed(rest!)}`;
}

function allowed(expected: string): string {
  const num = NUMBER_RE.exec(expected);
  if (num) {
    const [, open, min, max] = num as unknown as [string, string, string, string];
    const low = open === '(' ? `more than ${min}` : `${min} or more`;
    return Number(max) >= Number.MAX_SAFE_INTEGER ? low : `${low}, up to ${max}`;
  }
  const oneOf = /^one of (.+)$/.exec(expected);
  if (oneOf) {
    const xs = oneOf[1]!.split('|');
    return `one of ${xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}` : xs[0]}`;
  }
  if (expected === 'an ISO 8601 date') return 'a date';
  if (expected === 'a string' || expected === 'a Y.Text') return 'text';
  if (expected === 'a non-empty id') return 'a choice from the list';
  if (expected === 'would make a loop') return 'that would make a loop of shots continuing each other';
  return expected;
}
