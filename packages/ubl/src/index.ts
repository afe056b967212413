// @invoiceflow/ubl — UBL 2.1 documents: the shared writer and core, the PINT AE and Peppol BIS 3 profiles, and the
// official rules a user can fix before issuing (ublIssues).
export { buildDocument, type ProfileSpec, XML_DECLARATION } from './core';
export { type PeppolEnvelope, peppolEnvelopeOf } from './envelope';
export * from './peppol';
export * from './pint-ae';
export { buildUblXml, type UblIssue, ublIssues } from './profiles';
export { type ReadDocument, type ReadLine, type ReadParty, readUblDocument, UblReadError } from './read';
export * from './types';
export { type Attrs, escapeAttr, escapeText, leaf, node, optLeaf } from './xml-writer';
