/**
 * A board of N chained shots, each with a selected take, made in seconds: three takes are real
 * animatic renders through the app (shot 1 twice, so there is another take to select, and shot 2
 * from shot 1's tail); every other shot's take is written through the server's own document path
 * (`hub.change` + `upsertTake`, as finalize writes one) reusing shot 2's clip, with provenance
 * naming the take before it, as a chain made one shot after another would have.
 */
import { addShot, getShot, listTakes, selectTake, upsertTake, type TakeView } from '../../shared/doc/index.js';
import { newId } from '../../server/lib/ids.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../../test/helpers/http.js';
import type { TestServer } from '../../test/helpers/server.js';
import { waitFor } from '../../test/helpers/wait.js';

export interface BenchBoard {
  boardId: string;
  owner: Awaited<ReturnType<typeof signedUpClient>>;
  mate: Awaited<ReturnType<typeof signedUpClient>>;
  shots: string[];
  /** Shot 1's selected take, and the other take of shot 1 a user switches to. */
  first: TakeView;
  other: TakeView;
  /** The clip every take from shot 2 on shows. */
  clip: string;
}

async function generate(srv: TestServer, client: TestClient, boardId: string, shotId: string, seed: number): Promise<TakeView> {
  const g = await client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed });
  if (g.status !== 202) throw new Error(`generate failed: ${g.status} ${JSON.stringify(g.body)}`);
  return waitFor(
    () => srv.takeboard.hub.read(boardId, (d) => listTakes(d, shotId).find((t) => t.id === g.body.takeId && t.status === 'succeeded')),
    `take of ${shotId}`,
    90_000,
  );
}

export async function prepareSequenceBoard(srv: TestServer, count: number): Promise<BenchBoard> {
  const owner = await signedUpClient(srv.url, { name: 'Ana' });
  const mate = await signedUpClient(srv.url, { name: 'Ben' });
  const boardId = await createBoard(owner.client, `Sequence bench, ${count} shots`);
  await joinWithRole(owner.client, mate.client, boardId, 'editor');
  const hub = srv.takeboard.hub;
  const shots: string[] = [];
  await hub.change(boardId, (d) => {
    for (let i = 0; i < count; i++) {
      shots.push(addShot(d, { title: `Beat ${i + 1}`, prompt: `beat ${i + 1} of the one-take`, durationSec: 2, model: 'animatic', ...(i > 0 ? { continuesFrom: shots[i - 1]! } : {}) }));
    }
  });
  const first = await generate(srv, owner.client, boardId, shots[0]!, 1);
  await hub.change(boardId, (d) => selectTake(d, shots[0]!, first.id));
  const other = await generate(srv, owner.client, boardId, shots[0]!, 2);
  const second = await generate(srv, owner.client, boardId, shots[1]!, 3);
  await hub.change(boardId, (d) => {
    selectTake(d, shots[1]!, second.id);
    let prev = second;
    for (let i = 2; i < count; i++) {
      const id = newId();
      upsertTake(d, shots[i]!, id, {
        jobId: newId(), model: 'animatic', durationSec: second.durationSec, createdBy: owner.user.id, status: 'succeeded', number: 1, seed: i,
        clip: second.clip!, poster: second.poster!, tail: second.tail!, fromShot: shots[i - 1]!, fromTake: prev.id, fromTail: prev.tail!, tailAs: 'start_frame', tailSec: 2,
      });
      selectTake(d, shots[i]!, id);
      prev = listTakes(d, shots[i]!)[0]!;
    }
  });
  await waitFor(() => hub.read(boardId, (d) => getShot(d, shots[count - 1]!)?.selectedTake), 'the last take selected');
  return { boardId, owner, mate, shots, first, other, clip: second.clip! };
}
