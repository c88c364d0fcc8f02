import { createWidgetApi } from './api.ts';
import { createChat } from './chat.ts';
import { readOptions, type ScriptTag } from './config.ts';
import type { SocketLike, Timers } from './connection.ts';
import { browserStore, storageKey } from './storage.ts';
import { onSurvey } from './survey.ts';
import { mountWidget } from './ui/widget.ts';

// Entry point of /widget.js: reads its own <script> tag, then mounts the launcher.
//   <script src="https://kefu.example.com/widget.js" data-channel="…" async></script>

function findScript(): ScriptTag | null {
  // currentScript is only set while the script first runs (also for async scripts); the fallback
  // covers loaders that inject it differently.
  const current = document.currentScript as HTMLScriptElement | null;
  if (current?.getAttribute('data-channel')) return current;
  return document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget"]') ?? document.querySelector<HTMLScriptElement>('script[data-channel]');
}

const random = (): number => {
  const c = globalThis.crypto;
  return c?.getRandomValues ? c.getRandomValues(new Uint32Array(1))[0] / 2 ** 32 : Math.random();
};

const timers: Timers = {
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  setInterval: (fn, ms) => window.setInterval(fn, ms),
  clearInterval: (handle) => window.clearInterval(handle as number),
  now: () => Date.now(),
};

function boot(script: ScriptTag) {
  const w = window as Window & { __kefuWidget?: boolean };
  if (w.__kefuWidget) return; // the snippet was pasted twice
  const read = readOptions(script, navigator.languages ?? [navigator.language]);
  if (!read.ok) {
    console.error(`[kefu widget] ${read.reason}`);
    return;
  }
  w.__kefuWidget = true;
  const options = read.options;
  const store = browserStore(() => window.localStorage);
  const chat = createChat({
    options,
    api: createWidgetApi(options.apiBase, window.fetch.bind(window), store, storageKey(options.channelId)),
    store,
    // SocketLike is the subset of WebSocket the connection uses (its handlers take plain objects).
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    timers,
    random,
    isVisible: () => document.visibilityState !== 'hidden',
    onSurvey,
  });
  mountWidget(chat, options);
  void chat.init();
}

const script = findScript();
if (!script) console.error('[kefu widget] <script data-channel="…"> not found');
else if (document.body) boot(script);
else document.addEventListener('DOMContentLoaded', () => boot(script));
