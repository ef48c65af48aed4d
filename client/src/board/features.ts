/**
 * Which server capabilities exist yet. Assets, models, jobs and events are being built by other
 * issues; the UI asks once per board and shows an honest "not available yet" where a route is
 * missing instead of pretending. A missing route answers 404 "No API route …".
 */
import { createSignal, type Accessor } from 'solid-js';
import type { Asset } from '../../../shared/api';
import { isMissingRoute, type ApiClient, type JobEvent, type JobSummary, type ServerModel } from '../api/api-client';

/** 'unknown' while probing, then whether the route answered. */
export type Availability = 'unknown' | 'yes' | 'no';

export function createFeatures(api: ApiClient, boardId: string) {
  const [assetsAvail, setAssetsAvail] = createSignal<Availability>('unknown');
  const [assets, setAssets] = createSignal<Asset[]>([]);
  const [models, setModels] = createSignal<ServerModel[] | null>(null);
  const [progress, setProgress] = createSignal<Record<string, JobEvent>>({});
  const [generationAvail, setGenerationAvail] = createSignal<Availability>('unknown');
  const [jobs, setJobsList] = createSignal<JobSummary[]>([]);
  // Estimates in a jobs list count from the moment it was answered.
  const [jobsAt, setJobsAt] = createSignal(Date.now());
  const setJobs = (list: JobSummary[]) => {
    setJobsAt(Date.now());
    setJobsList(list);
  };
  let events: EventSource | null = null;
  let disposed = false;

  const probe = <T,>(p: Promise<T>, ok: (v: T) => void, set: (a: Availability) => void) =>
    p.then(
      (v) => {
        if (disposed) return;
        ok(v);
        set('yes');
      },
      (err) => !disposed && set(isMissingRoute(err) ? 'no' : 'unknown'),
    );

  const refreshAssets = () => probe(api.assets(boardId), setAssets, setAssetsAvail);
  const refreshJobs = () => api.jobs(boardId).then((j) => !disposed && setJobs(j), () => undefined);

  const probeGeneration = () =>
    probe(
      Promise.all([api.models(), api.jobs(boardId)]),
      ([m, j]) => {
        setModels(m);
        setJobs(j);
        if (!events) openEvents();
      },
      setGenerationAvail,
    );
  void refreshAssets();
  void probeGeneration();

  function openEvents() {
    if (disposed || typeof EventSource === 'undefined') return;
    events = new EventSource(api.eventsUrl(boardId), { withCredentials: true });
    // `event: job` carries one job's status, progress and queue position (shared JobEvent).
    events.addEventListener('job', (m) => {
      const e = parseEvent((m as MessageEvent<string>).data);
      if (!e) return;
      setProgress((p) => ({ ...p, [e.takeId]: e }));
      void refreshJobs();
    });
  }

  return {
    assetsAvailable: assetsAvail as Accessor<Availability>,
    assets: assets as Accessor<Asset[]>,
    /** Adds an uploaded asset to the list without refetching. */
    addAsset: (a: Asset) => setAssets((list) => (list.some((x) => x.id === a.id) ? list : [...list, a])),
    refreshAssets,
    generationAvailable: generationAvail as Accessor<Availability>,
    models: models as Accessor<ServerModel[] | null>,
    /** The latest live event per take id (progress, queue position) while generation runs. */
    progress: progress as Accessor<Record<string, JobEvent>>,
    jobs: jobs as Accessor<JobSummary[]>,
    /** When the jobs list was answered (epoch ms): its ETAs count from then. */
    jobsAt: jobsAt as Accessor<number>,
    refreshJobs,
    /**
     * Asks again about what could not be probed (a board opened offline from its local copy), and
     * refreshes the lists a reconnect may have missed.
     */
    reconnected() {
      void refreshAssets();
      if (generationAvail() === 'unknown') void probeGeneration();
      else void refreshJobs();
    },
    dispose() {
      disposed = true;
      events?.close();
    },
  };
}

export type Features = ReturnType<typeof createFeatures>;

function parseEvent(data: string): JobEvent | null {
  try {
    const e = JSON.parse(data) as Partial<JobEvent>;
    return typeof e.takeId === 'string' && typeof e.status === 'string' ? (e as JobEvent) : null;
  } catch {
    return null;
  }
}
