// Exposes the contract's two channels and nothing else; all logic lives in main or the renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type Transport } from '../shared/channels';

const bridge: Transport = {
  invoke: (method, input) => ipcRenderer.invoke(CHANNELS.invoke, method, input),
  subscribe(listener) {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(CHANNELS.event, handler);
    return () => void ipcRenderer.removeListener(CHANNELS.event, handler);
  },
};

contextBridge.exposeInMainWorld('huntaze', bridge);
