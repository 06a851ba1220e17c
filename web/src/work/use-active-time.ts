// Active time of the task on screen: counted by an ActiveClock from the page's input events
// and visibility, reported by a heartbeat every 30 s (which also keeps the lease), and by a
// beacon when the tab is hidden or closed. `seconds` is what to show: the server's figure at
// lease time plus what this page counted.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { ActiveClock } from './active-time';
import { beaconHeartbeat, type WorkApi } from './work-api';

const HEARTBEAT_MS = 30_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'input'] as const;

export interface ActiveTime {
  seconds: number;
  /** Sends the seconds not yet reported (before a submit or a skip). */
  flush: () => Promise<void>;
  /** The task is done: nothing more is reported for it. */
  finish: () => void;
}

const visible = () => document.visibilityState === 'visible';

export function useActiveTime(
  api: WorkApi,
  assignmentId: string,
  serverSeconds: number,
  onLeaseLost: (error: unknown) => void,
): ActiveTime {
  const [shown, setShown] = useState(serverSeconds);
  const clock = useMemo(() => new ActiveClock(Date.now()), [assignmentId]);
  const finished = useRef(false);
  const lost = useRef(onLeaseLost);
  lost.current = onLeaseLost;

  useEffect(() => {
    finished.current = false;
    const onInput = () => clock.interact(Date.now());
    const beacon = () => {
      clock.tick(Date.now(), visible());
      const seconds = clock.take();
      if (seconds > 0 && !finished.current) beaconHeartbeat(assignmentId, seconds);
    };
    const onVisibility = () => {
      if (visible()) {
        clock.tick(Date.now(), false);
        clock.interact(Date.now());
      } else {
        clock.tick(Date.now(), true);
        beacon();
      }
    };
    const beat = async () => {
      clock.tick(Date.now(), visible());
      const seconds = clock.take();
      try {
        await api.heartbeat(assignmentId, seconds);
      } catch (e) {
        clock.giveBack(seconds);
        if (!finished.current) lost.current(e);
      }
    };
    for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', beacon);
    const ticker = setInterval(() => {
      clock.tick(Date.now(), visible());
      setShown(serverSeconds + clock.totalSeconds);
    }, 1000);
    const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
    return () => {
      clearInterval(ticker);
      clearInterval(heartbeat);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', beacon);
      beacon();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [assignmentId]);

  const flush = async () => {
    clock.tick(Date.now(), visible());
    const seconds = clock.take();
    if (seconds > 0) {
      try {
        await api.heartbeat(assignmentId, seconds);
      } catch {
        // The submit or skip that follows says what went wrong.
      }
    }
  };
  const finish = () => {
    finished.current = true;
  };
  return { seconds: shown, flush, finish };
}
