import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { hardenContents, hardenedPreferences } from './security.js';

// The main window: hardened, and the same size as when it was last closed.

interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized?: boolean;
}

const DEFAULT_STATE: WindowState = { width: 1280, height: 800 };

export function readWindowState(file: string): WindowState {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as WindowState;
    if (Number.isFinite(s.width) && Number.isFinite(s.height) && s.width >= 800 && s.height >= 560) return s;
  } catch {
    // first run, or an unreadable file: the default size
  }
  return DEFAULT_STATE;
}

export function createMainWindow(opts: { preload: string; rendererIndex: string; rendererRoot: string; stateFile: string }): BrowserWindow {
  const state = readWindowState(opts.stateFile);
  const window = new BrowserWindow({
    width: state.width,
    height: state.height,
    x: state.x,
    y: state.y,
    minWidth: 960,
    minHeight: 600,
    title: 'Milepost',
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: hardenedPreferences(opts.preload),
  });
  hardenContents(window.webContents, opts.rendererRoot, (url) => shell.openExternal(url));
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const b = window.getNormalBounds();
    fs.mkdirSync(path.dirname(opts.stateFile), { recursive: true });
    fs.writeFileSync(opts.stateFile, JSON.stringify({ ...b, maximized: window.isMaximized() }));
  });
  void window.loadFile(opts.rendererIndex);
  return window;
}
