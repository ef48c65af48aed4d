import { describe, expect, it } from 'vitest';
import { waitingForText } from './waiting-for';

describe('what a waiting chain-batch take waits for', () => {
  const shots = [{ id: 'shot_a' }, { id: 'shot_b' }];
  const takes = { shot_a: [{ id: 'take_1', number: 1 }, { id: 'take_2', number: 2 }] };
  it('names the take by its number and the shot by its place', () => {
    expect(waitingForText({ jobId: 'job_2', takeId: 'take_2', shotId: 'shot_a' }, shots, takes)).toBe('take #2 of shot 1');
  });
  it('still says which shot before the take is in the document, and something when the shot is gone', () => {
    expect(waitingForText({ jobId: 'job_3', takeId: 'take_3', shotId: 'shot_a' }, shots, takes)).toBe('its take of shot 1');
    expect(waitingForText({ jobId: 'job_3', takeId: 'take_3', shotId: 'shot_gone' }, shots, takes)).toBe('its take of its upstream shot');
  });
});
