// The time left in an exam, counted down each second from what the server said when the
// attempt was read. The server decides: a submit after its deadline (and grace) is refused.
import { useEffect, useState } from 'preact/hooks';

import { secondsLeft, urgency } from '../../exams/attempt';
import { formatDuration } from '../../ui/format';

export function Countdown({ secondsLeftAtReceipt, receivedAt }: { secondsLeftAtReceipt: number; receivedAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = secondsLeft({ seconds_left: secondsLeftAtReceipt }, receivedAt, now);
  const level = urgency(left);
  // Screen readers hear the minutes, not every second.
  const minutes = Math.ceil(left / 60);
  return (
    <span class={`countdown countdown-${level}`}>
      <span aria-hidden="true">{left > 0 ? `${formatDuration(left)} left` : 'Time is up'}</span>
      <span class="sr-only" role="timer" aria-live={level === 'normal' ? 'off' : 'polite'}>
        {left > 0 ? `About ${minutes} minute${minutes === 1 ? '' : 's'} left` : 'Time is up'}
      </span>
    </span>
  );
}
