// Active time on a revision: counted by an ActiveClock from the page's input events and
// visibility, as in the workbench, and sent once with the revision (a revision has no lease
// and no heartbeats).
import { useEffect, useMemo, useState } from 'preact/hooks';

import { ActiveClock } from '../work/active-time';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'input'] as const;
const visible = () => document.visibilityState === 'visible';

/** The seconds counted so far on this page, and a reader for the moment of sending. */
export function useReworkTime(key: string): { seconds: number; total: () => number } {
  const clock = useMemo(() => new ActiveClock(Date.now()), [key]);
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const onInput = () => clock.interact(Date.now());
    const onVisibility = () => clock.tick(Date.now(), !visible());
    for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    const ticker = setInterval(() => {
      clock.tick(Date.now(), visible());
      setSeconds(clock.totalSeconds);
    }, 1000);
    return () => {
      clearInterval(ticker);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [clock]);
  return {
    seconds,
    total: () => {
      clock.tick(Date.now(), visible());
      return clock.totalSeconds;
    },
  };
}
