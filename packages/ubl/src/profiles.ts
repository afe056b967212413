// One door per profile name: build the document, or list what the user must fix before it can be issued.

import { type UblIssue, ublIssues } from './issues';
import { buildPeppolXml } from './peppol';
import { buildPintAeXml } from './pint-ae';
import type { UblDocumentInput, UblProfileName } from './types';

export { type UblIssue, ublIssues };

export function buildUblXml(profile: UblProfileName, input: UblDocumentInput): string {
  return profile === 'pint-ae' ? buildPintAeXml(input) : buildPeppolXml(input);
}
