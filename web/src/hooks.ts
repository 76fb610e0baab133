/** Hooks shared by the views: the live fleet, and one-shot loads with their error. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from './api.js';
import { fleet } from './store.js';

/** Re-renders the caller whenever the fleet store flushes a batch of changes; returns its version. */
export function useFleet(): number {
  const [version, setVersion] = useState(fleet.version);
  useEffect(() => {
    setVersion(fleet.version);
    return fleet.subscribe(() => setVersion(fleet.version));
  }, []);
  return version;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload()), keeping the last answer and error. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError('');
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(errorText(err));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
