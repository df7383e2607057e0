import type { BridgeAnswer, DesktopBridge } from '../../main/api/bridge.js';
import { ApiError, type Transport } from './types.js';

// The desktop transport: the preload bridge. Sign-in is held by the main process.
function unwrap(answer: BridgeAnswer): unknown {
  if (answer.error) {
    const { code, message, details, ...extra } = answer.error;
    throw new ApiError(code, message, details, 0, extra);
  }
  return answer.data;
}

export function ipcTransport(bridge: DesktopBridge): Transport {
  return {
    hasSession: () => bridge.hasSession(),
    signIn: async (c) => void unwrap(await bridge.signIn(c)),
    signOut: async () => void unwrap(await bridge.signOut()),
    send: async (op, input) => unwrap(await bridge.invoke(op, input)),
    saveCsv: async (file) => void unwrap(await bridge.saveCsv(file)),
    saveDocument: async (file) => void unwrap(await bridge.saveDocument(file as never)),
  };
}
