import { useEffect } from 'react';

// The offer ring (振铃): two short beeps every 1.6 s made with WebAudio oscillators, no audio file.
// Browsers only let a page play sound after the user interacted with it, so the audio context is
// created and resumed on the agent's first click or key press on the desk.

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

/** Makes the page allowed to ring: call from a user gesture (also done on the first click on the desk). */
export function unlockAudio(): void {
  const ctx = audioContext();
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

/** Unlocks audio on the first pointer or key press while mounted. */
export function useAudioUnlock(): void {
  useEffect(() => {
    const unlock = () => unlockAudio();
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, []);
}

const PATTERN: readonly { at: number; freq: number }[] = [
  { at: 0, freq: 880 },
  { at: 0.28, freq: 660 },
];
const BEEP_SECONDS = 0.2;
const REPEAT_MS = 1600;
const VOLUME = 0.12;

/** Rings while `ringing` is true; stops at once (mid-beep) when it turns false or the page unmounts. */
export function useRinger(ringing: boolean, muted = false): void {
  useEffect(() => {
    if (!ringing || muted) return;
    const ctx = audioContext();
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    const playing = new Set<OscillatorNode>();

    const beep = (start: number, freq: number) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      // A short attack and release: no clicks at the edges.
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(VOLUME, start + 0.02);
      gain.gain.setValueAtTime(VOLUME, start + BEEP_SECONDS - 0.04);
      gain.gain.linearRampToValueAtTime(0, start + BEEP_SECONDS);
      osc.connect(gain).connect(ctx.destination);
      osc.onended = () => {
        playing.delete(osc);
        osc.disconnect();
        gain.disconnect();
      };
      osc.start(start);
      osc.stop(start + BEEP_SECONDS);
      playing.add(osc);
    };
    const ring = () => {
      if (ctx.state !== 'running') return;
      const t0 = ctx.currentTime + 0.02;
      for (const p of PATTERN) beep(t0 + p.at, p.freq);
    };

    ring();
    const timer = window.setInterval(ring, REPEAT_MS);
    return () => {
      window.clearInterval(timer);
      for (const osc of playing) {
        try {
          osc.stop();
        } catch {
          // already stopped
        }
      }
      playing.clear();
    };
  }, [ringing, muted]);
}
