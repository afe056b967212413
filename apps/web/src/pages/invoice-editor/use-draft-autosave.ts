import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import type { Draft } from '../../api/domain-types';
import { autoSaveDraft } from '../../api/resources';

export const AUTOSAVE_INTERVAL_MS = 2000;

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'error' }
  | { kind: 'conflict'; theirs: Draft };

interface Options<S> {
  /** The editor state; turned into the draft body only when a save is due, not on every keystroke. */
  state: S;
  /** The draft body to keep (the issue request); compared by its JSON, so only real changes are saved. */
  toBody(state: S): Record<string, unknown>;
  enabled: boolean;
}

/**
 * Auto-save every two seconds, only when the draft changed, based on the version this tab last saw: a save
 * from another tab in between answers 409 DRAFT_CONFLICT, which stops saving until the user picks a side.
 */
export function useDraftAutosave<S>({ state, toBody, enabled }: Options<S>) {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const stateRef = useRef(state);
  const toBodyRef = useRef(toBody);
  toBodyRef.current = toBody;
  const versionRef = useRef<number | undefined>(undefined);
  const draftIdRef = useRef<string | null>(null);
  const savedJsonRef = useRef<string | null>(null);
  const isSavingRef = useRef(false);
  const statusRef = useRef(status);
  statusRef.current = status;

  useEffect(() => {
    stateRef.current = state;
    const kind = statusRef.current.kind;
    // Serialize once per save cycle (the first change after a save), not on every keystroke.
    if (kind === 'conflict' || kind === 'saving' || kind === 'dirty' || savedJsonRef.current === null) return;
    if (JSON.stringify(toBodyRef.current(state)) !== savedJsonRef.current) setStatus({ kind: 'dirty' });
  }, [state]);

  const save = useCallback(async () => {
    if (isSavingRef.current) return;
    const snapshot = toBodyRef.current(stateRef.current);
    const json = JSON.stringify(snapshot);
    if (json === savedJsonRef.current) {
      if (statusRef.current.kind === 'dirty') setStatus({ kind: 'saved', at: new Date() });
      return;
    }
    isSavingRef.current = true;
    setStatus({ kind: 'saving' });
    try {
      const draft = await autoSaveDraft(api, snapshot, versionRef.current);
      versionRef.current = draft.version;
      draftIdRef.current = draft.id;
      savedJsonRef.current = json;
      setStatus(
        JSON.stringify(toBodyRef.current(stateRef.current)) === json
          ? { kind: 'saved', at: new Date(draft.updated_at) }
          : { kind: 'dirty' },
      );
    } catch (error) {
      if (isApiError(error) && error.code === 'DRAFT_CONFLICT' && error.problem.current) {
        setStatus({ kind: 'conflict', theirs: error.problem.current as Draft });
      } else {
        setStatus({ kind: 'error' });
      }
    } finally {
      isSavingRef.current = false;
    }
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      const kind = statusRef.current.kind;
      if (kind !== 'conflict' && savedJsonRef.current !== null) void save();
    }, AUTOSAVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [enabled, save]);

  /**
   * The editor was just filled from the server (the latest draft, or nothing): that state counts as saved, at
   * the draft's version, so the next save is refused if another tab saved in between.
   */
  const adopt = useCallback((draft: Pick<Draft, 'id' | 'version' | 'updated_at'> | null, loaded: S) => {
    versionRef.current = draft?.version;
    draftIdRef.current = draft?.id ?? null;
    savedJsonRef.current = JSON.stringify(toBodyRef.current(loaded));
    const next: SaveStatus = draft ? { kind: 'saved', at: new Date(draft.updated_at) } : { kind: 'idle' };
    statusRef.current = next;
    setStatus(next);
  }, []);

  /** Conflict: keep this tab's version, saved over the other one. */
  const overwrite = useCallback(() => {
    const current = statusRef.current;
    if (current.kind !== 'conflict') return;
    versionRef.current = current.theirs.version;
    setStatus({ kind: 'dirty' });
    statusRef.current = { kind: 'dirty' };
    void save();
  }, [save]);

  return {
    status,
    adopt,
    overwrite,
    /** Id of the auto-save draft on the server, once there is one. */
    draftId: () => draftIdRef.current,
  };
}
