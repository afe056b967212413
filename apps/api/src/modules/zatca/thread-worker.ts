// A ZATCA thread (threads.ts): the same package functions as the request thread, so the same bytes.
import { buildSignedInvoice, type SignedInvoice } from '@invoiceflow/zatca';
import { type ChainDocumentCheck, checkChainDocument } from './chain-document';
import type { SignTask } from './threads';

export function sign({ input, keys, options }: SignTask): SignedInvoice {
  return buildSignedInvoice(input, keys, options);
}

export function checkDocument(xml: string): ChainDocumentCheck {
  return checkChainDocument(xml);
}
