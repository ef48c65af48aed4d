import { describe, expect, it } from 'vitest';
import { parseJobEvent } from './job-queue';

describe('a live job event', () => {
  it('is read when it names its job and take and a job status', () => {
    const e = { jobId: 'job_1', shotId: 'shot_1', takeId: 'take_1', status: 'running', progress: 0.4, queuePosition: 2 };
    expect(parseJobEvent(JSON.stringify(e))).toEqual(e);
  });

  it('is dropped when it is not one (mangled, unknown status, no ids)', () => {
    expect(parseJobEvent('{"jobId":')).toBeNull();
    expect(parseJobEvent(JSON.stringify({ jobId: 'j', shotId: 's', takeId: 't', status: 'exploded' }))).toBeNull();
    expect(parseJobEvent(JSON.stringify({ shotId: 's', takeId: 't', status: 'queued' }))).toBeNull();
    expect(parseJobEvent('null')).toBeNull();
  });
});
