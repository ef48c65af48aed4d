/**
 * An open Server-Sent Events stream as a test sees it: what arrived first, and whether it has
 * ended (the server finishing the stream, or cutting the connection: either counts).
 */
export async function openEventStream(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  const first = res.ok ? Buffer.from((await reader.read()).value!).toString() : '';
  let ended = false;
  const drained = (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done);
    ended = true;
  })();
  return { status: res.status, first, ended: () => ended, drained };
}
