// The tasks waiting behind the one on screen keep their leases: a heartbeat without active
// time every 30 s (the shortest lease a project may set is 60 s).
import { useEffect } from 'preact/hooks';

import { ApiError } from '../api/client';
import type { TaskQueue } from './queue';
import type { WorkApi } from './work-api';

export function useKeepLeases(api: WorkApi, queue: TaskQueue): void {
  useEffect(() => {
    const timer = setInterval(() => {
      for (const a of [...queue.waiting]) {
        api.heartbeat(a.id, 0).catch((e: unknown) => {
          if (e instanceof ApiError && !e.isNetwork) queue.drop(a.id);
        });
      }
    }, 30_000);
    return () => clearInterval(timer);
  }, [api, queue]);
}
