import type { UblDocumentInput, UblProfileName } from './types';

export interface UblIssue {
  path: string;
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

export function ublIssues(_profile: UblProfileName, _input: UblDocumentInput): UblIssue[] {
  return [];
}
