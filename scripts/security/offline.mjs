// Loaded with `node --import`: Electronegativity fetches its translations and Electron's release
// list from GitHub on every run. Scans here must reach nothing but loopback, so `got` refuses at
// once and it falls back on its bundled English (the release-list check is excluded by the scan).
import Module from 'node:module';

const load = Module._load;
const refuse = () => Promise.reject(new Error('offline: Huntaze scans reach no network'));
refuse.head = refuse;
Module._load = function (request, ...rest) {
  return request === 'got' ? refuse : load.call(this, request, ...rest);
};
