// Preloaded (`--import`) into a server child started with --expose-gc: on SIGUSR2 it collects
// garbage twice, lets finalizers' warnings reach stderr, then prints "gc done" there, so a test
// can wait for that line instead of hoping a collection happened.
process.on('SIGUSR2', () => {
  globalThis.gc();
  setImmediate(() => {
    globalThis.gc();
    setTimeout(() => process.stderr.write('gc done\n'), 50);
  });
});
