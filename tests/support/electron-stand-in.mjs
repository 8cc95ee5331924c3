// Stands in for the Electron binary under `electron-vite dev` (no Electron can run on these
// machines): reports the URL the shell would load, then waits to be stopped.
process.stdout.write(`ELECTRON_RENDERER_URL=${process.env.ELECTRON_RENDERER_URL}\n`);
setInterval(() => undefined, 1 << 30);
