import type { Transport } from '../../shared/contract';

declare global {
  interface Window {
    /** Present in the Electron window (preload); absent in the browser host. */
    huntaze?: Transport;
  }
}
