// Active time: a second counts only while the tab is visible and the expert has touched the
// keyboard, mouse or screen in the last two minutes. The clock is fed by the caller (a timer
// and the page's events), so it is tested without a browser.

export const IDLE_AFTER_MS = 120_000;

export class ActiveClock {
  private lastInput: number;
  private activeSince: number;
  private lastTick: number;
  private unsentMs = 0;
  private totalMs = 0;

  constructor(now: number) {
    this.lastInput = now;
    this.activeSince = now;
    this.lastTick = now;
  }

  /** The expert did something. */
  interact(now: number): void {
    if (this.idle(now)) this.activeSince = now;
    this.lastInput = now;
  }

  /**
   * Counts the time since the last tick that was active: visible, and within IDLE_AFTER_MS of
   * the last input. Call it often (every second) and when visibility changes.
   */
  tick(now: number, visible: boolean): void {
    const from = this.lastTick;
    this.lastTick = now;
    if (!visible || now <= from) return;
    const activeUntil = Math.min(now, this.lastInput + IDLE_AFTER_MS);
    const ms = Math.max(0, activeUntil - Math.max(from, this.activeSince));
    this.unsentMs += ms;
    this.totalMs += ms;
  }

  /** Whole seconds not yet reported; the fraction stays for the next report. */
  take(): number {
    const seconds = Math.floor(this.unsentMs / 1000);
    this.unsentMs -= seconds * 1000;
    return seconds;
  }

  /** Seconds a report failed to deliver go back to be sent again. */
  giveBack(seconds: number): void {
    this.unsentMs += seconds * 1000;
  }

  /** Active seconds counted on this page so far. */
  get totalSeconds(): number {
    return Math.floor(this.totalMs / 1000);
  }

  idle(now: number): boolean {
    return now - this.lastInput >= IDLE_AFTER_MS;
  }
}
