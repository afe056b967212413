import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `deps` change, aborting the previous request, so a slow answer to an old search can never
 * replace the answer to the new one.
 */
export function useLoader<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; isLoading: boolean }>({ isLoading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again.
  useEffect(() => {
    const controller = new AbortController();
    setState((current) => ({ ...current, isLoading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, isLoading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState((current) => ({ data: current.data, error, isLoading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, isLoading: state.isLoading, reload };
}

/** The value, once it has stopped changing for `delayMs` (search as you type). */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * A list searched as you type, a page at a time: the search waits for typing to pause, and a new search starts
 * again at the first page.
 */
export function useSearchedList<T>(
  load: (params: { q?: string; page: number; page_size: number }, signal: AbortSignal) => Promise<T>,
  pageSize: number,
) {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(query, 250);
  const list = useLoader(
    (signal) => load({ q: q || undefined, page, page_size: pageSize }, signal),
    [q, page],
  );
  const search = (value: string) => {
    setQuery(value);
    setPage(1);
  };
  return { query, search, page, setPage, list };
}
